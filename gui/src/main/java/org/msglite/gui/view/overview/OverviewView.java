package org.msglite.gui.view.overview;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.util.StringConverter;
import org.msglite.gui.view.Formats;
import org.msglite.gui.view.Fxml;

/** Binds OverviewView.fxml to an {@link OverviewViewModel}; mirrors its rate history into the chart. */
public final class OverviewView {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

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
    @FXML private Label httpLatency;
    @FXML private javafx.scene.layout.VBox httpTile;
    @FXML private LineChart<Number, Number> rateChart;
    @FXML private NumberAxis timeAxis;
    private final XYChart.Series<Number, Number> in = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> out = new XYChart.Series<>();

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
        httpLatency.textProperty().bind(model.httpLatencyProperty());
        httpTile.visibleProperty().bind(model.httpOnProperty());
        httpTile.managedProperty().bind(model.httpOnProperty());
        in.setName("in (sent/s)");
        out.setName("out (delivered/s)");
        rateChart.getData().add(in);
        rateChart.getData().add(out);
        rateChart.setCreateSymbols(false);
        rateChart.setAnimated(false);
        timeAxis.setAutoRanging(false); // a fixed 5-minute window that slides, as the title promises
        timeAxis.setTickUnit(TICK_SECONDS);
        timeAxis.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number seconds) {
                return CLOCK.format(Instant.ofEpochMilli((long) (seconds.doubleValue() * 1000)));
            }

            @Override
            public Number fromString(String text) {
                return 0;
            }
        });
        model.rates().addListener((ListChangeListener<RatePoint>) change -> {
            if (!model.rates().isEmpty()) {
                // ticks fall on whole half-minutes: the window ends at the next one after the latest point
                double latest = model.rates().get(model.rates().size() - 1).time() / 1000.0;
                double upper = Math.ceil(latest / TICK_SECONDS) * TICK_SECONDS;
                timeAxis.setLowerBound(upper - OverviewViewModel.WINDOW_MILLIS / 1000.0);
                timeAxis.setUpperBound(upper);
            }
            while (change.next()) {
                if (change.wasRemoved()) {
                    in.getData().remove(change.getFrom(), change.getFrom() + change.getRemovedSize());
                    out.getData().remove(change.getFrom(), change.getFrom() + change.getRemovedSize());
                }
                if (change.wasAdded()) {
                    int at = change.getFrom();
                    for (RatePoint p : change.getAddedSubList()) {
                        double x = p.time() / 1000.0;
                        in.getData().add(at, new XYChart.Data<>(x, p.inPerSecond()));
                        out.getData().add(at, new XYChart.Data<>(x, p.outPerSecond()));
                        at++;
                    }
                }
            }
        });
    }
}
