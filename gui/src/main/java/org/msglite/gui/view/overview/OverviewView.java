package org.msglite.gui.view.overview;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.msglite.gui.view.Formats;
import org.msglite.gui.view.Fxml;
import org.msglite.gui.view.HistoryChart;

/** Binds OverviewView.fxml to an {@link OverviewViewModel}; mirrors its history into the two charts. */
public final class OverviewView {
    private static final int TICK_SECONDS = 30;

    private final OverviewViewModel model;
    @FXML private Label totalAddresses;
    @FXML private Label totalQueued;
    @FXML private Label totalWaiting;
    @FXML private Label totalSent;
    @FXML private Label totalDelivered;
    @FXML private Label totalExpired;
    @FXML private Label totalTimeouts;
    @FXML private Label totalConnections;
    @FXML private Label totalHttp;
    @FXML private Label httpTotal;
    @FXML private Label httpLatency;
    @FXML private VBox httpTile;
    @FXML private LineChart<Number, Number> rateChart;
    @FXML private NumberAxis timeAxis;
    @FXML private LineChart<Number, Number> queuedChart;
    @FXML private NumberAxis queuedTimeAxis;
    private final XYChart.Series<Number, Number> in = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> out = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> queued = new XYChart.Series<>();

    public OverviewView(OverviewViewModel model) {
        this.model = model;
    }

    public Parent load() {
        return Fxml.load(this);
    }

    @FXML
    private void initialize() {
        totalAddresses.textProperty().bind(model.addressesProperty().asString());
        totalQueued.textProperty().bind(Bindings.createStringBinding(() -> model.queuedMessagesProperty().get() + " ("
                + Formats.bytes(model.queuedBytesProperty().get()) + ")", model.queuedMessagesProperty(), model.queuedBytesProperty()));
        totalWaiting.textProperty().bind(model.waitingReadersProperty().asString());
        totalSent.textProperty().bind(model.sentProperty().asString());
        totalDelivered.textProperty().bind(model.deliveredProperty().asString());
        totalExpired.textProperty().bind(model.expiredProperty().asString());
        totalTimeouts.textProperty().bind(model.readyTimeoutsProperty().asString());
        totalConnections.textProperty().bind(model.connectionsProperty().asString());
        totalHttp.textProperty().bind(model.httpProperty());
        httpTotal.textProperty().bind(model.httpTotalProperty());
        httpLatency.textProperty().bind(model.httpLatencyProperty());
        httpTile.visibleProperty().bind(model.httpOnProperty());
        httpTile.managedProperty().bind(model.httpOnProperty());
        in.setName("in (sent/s)");
        out.setName("out (delivered/s)");
        queued.setName("queued");
        rateChart.getData().add(in);
        rateChart.getData().add(out);
        queuedChart.getData().add(queued);
        for (LineChart<Number, Number> chart : List.of(rateChart, queuedChart)) {
            chart.setCreateSymbols(false);
            chart.setAnimated(false);
        }
        HistoryChart.timeAxis(timeAxis, TICK_SECONDS); // a fixed 5-minute window that slides, as the titles promise
        HistoryChart.timeAxis(queuedTimeAxis, TICK_SECONDS);
        model.history().addListener((ListChangeListener<TotalsPoint>) this::mirror);
    }

    private void mirror(ListChangeListener.Change<? extends TotalsPoint> change) {
        List<TotalsPoint> points = model.history();
        if (!points.isEmpty()) {
            long latest = points.get(points.size() - 1).time();
            HistoryChart.slide(timeAxis, latest, OverviewViewModel.WINDOW_MILLIS);
            HistoryChart.slide(queuedTimeAxis, latest, OverviewViewModel.WINDOW_MILLIS);
        }
        while (change.next()) {
            if (change.wasRemoved()) {
                int from = change.getFrom();
                int to = from + change.getRemovedSize();
                for (XYChart.Series<Number, Number> series : List.of(in, out, queued)) {
                    series.getData().remove(from, to);
                }
            }
            if (change.wasAdded()) {
                int at = change.getFrom();
                for (TotalsPoint p : change.getAddedSubList()) {
                    double x = p.time() / 1000.0;
                    in.getData().add(at, new XYChart.Data<>(x, p.inPerSecond()));
                    out.getData().add(at, new XYChart.Data<>(x, p.outPerSecond()));
                    queued.getData().add(at, new XYChart.Data<>(x, p.queued()));
                    at++;
                }
            }
        }
    }
}
