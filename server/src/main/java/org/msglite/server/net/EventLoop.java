package org.msglite.server.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.msglite.server.util.DeadlineHeap;

/**
 * The one thread that owns every socket and, through the {@link Ticker}, the state behind them.
 * Each turn: read every readable socket, then let handlers consume input (and the ones they
 * handed work to), then fire timers,
 * then run tasks posted by other threads, then flush every connection written to. Reading all
 * sockets before dispatching anything means a peer whose close has arrived is known to be
 * gone before any message could be routed to it in the same turn.
 *
 * <p>Other threads talk to the loop only through {@link #execute} and {@link #call}.
 */
public final class EventLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventLoop.class.getName());
    private static final int MAX_ACCEPTS_PER_TURN = 256;
    /** Rounds of dispatching per turn; see {@link #dispatchAll}. */
    private static final int DISPATCH_PASSES = 4;
    /** Threads for TLS handshake work (key exchange, signatures), so a handshake never stalls the loop. */
    private static final int TLS_TASK_THREADS = 2;

    /** Fires what is due and says when the next thing is due (monotonic milliseconds). */
    public interface Ticker {
        long tick(long now);
    }

    /** Makes the handler of a newly accepted connection. */
    public interface Acceptor {
        ConnectionHandler accept(Connection connection);

        /** What its connections speak, as monitoring shows it ({@code msglite}, {@code http}). */
        String kind();
    }

    private final Selector selector;
    private final DeadlineHeap<Timer> timers = new DeadlineHeap<>();
    private final long startNanos = System.nanoTime();
    private final List<Listener> listeners = new ArrayList<>();
    private final Map<Long, Connection> connections = new HashMap<>();
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private List<Connection> dispatchQueue = new ArrayList<>();
    private List<Connection> dispatching = new ArrayList<>();
    private final List<Connection> dirty = new ArrayList<>();
    private long nextConnectionId = 1;
    private Ticker ticker = now -> Long.MAX_VALUE;
    private Thread thread;
    private volatile boolean stopping;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private ExecutorService tlsTasks;
    /**
     * The buffers of one gathering write, reused by every connection's flush (all on this thread).
     * Linux takes at most 1024 (IOV_MAX) per call; a queue holding more sends the rest next time.
     */
    private final ByteBuffer[] gatherScratch = new ByteBuffer[1024];

    /** A task to run on the loop thread at a deadline; see {@link #schedule}. */
    public static final class Timer extends DeadlineHeap.Entry {
        private final Runnable task;

        private Timer(Runnable task) {
            this.task = task;
        }
    }

    public EventLoop() throws IOException {
        this.selector = Selector.open();
    }

    /** Milliseconds on the loop's monotonic clock. */
    public long now() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * Binds a listener; call before {@link #start}. {@code maxInputBytes} is the most input one of
     * its connections buffers before the handler consumes it (e.g. one command line, one HTTP head).
     */
    public BoundListener listen(ListenAddress address, UnixSocketOptions unixOptions, int maxInputBytes,
                                Acceptor acceptor) throws IOException {
        return listen(address, unixOptions, maxInputBytes, acceptor, null);
    }

    /**
     * Binds a listener whose connections speak TLS with {@code tls} (plain sockets when null);
     * the handlers see plaintext either way. Call before {@link #start}.
     */
    public BoundListener listen(ListenAddress address, UnixSocketOptions unixOptions, int maxInputBytes,
                                Acceptor acceptor, SSLContext tls) throws IOException {
        Listener listener = Listener.open(address, unixOptions, maxInputBytes, acceptor);
        listener.useTls(tls);
        if (tls != null && tlsTasks == null) {
            tlsTasks = Executors.newFixedThreadPool(TLS_TASK_THREADS, work -> {
                Thread thread = new Thread(work, "msglite-tls");
                thread.setDaemon(true);
                return thread;
            });
        }
        listener.channel().register(selector, SelectionKey.OP_ACCEPT, listener);
        listeners.add(listener);
        return listener.bound();
    }

    public void start(Ticker ticker, String threadName) {
        this.ticker = ticker;
        thread = new Thread(this::run, threadName);
        thread.start();
    }

    /** Runs {@code task} on the loop thread soon. Safe from any thread. */
    public void execute(Runnable task) {
        inbox.add(task);
        selector.wakeup();
    }

    /** Runs {@code work} on the loop thread and completes with its result. */
    public <T> CompletableFuture<T> call(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Runs {@code task} on the loop thread once {@link #now} reaches {@code deadline}. Loop thread only. */
    public Timer schedule(long deadline, Runnable task) {
        Timer timer = new Timer(task);
        timers.add(timer, deadline);
        return timer;
    }

    /** Loop thread only; harmless for a timer that has fired or was cancelled. */
    public void cancel(Timer timer) {
        if (timer != null) {
            timers.remove(timer);
        }
    }

    /** Live connections; loop thread only. */
    public Iterable<Connection> connections() {
        return connections.values();
    }

    /** The live connection with this id, or {@code null}; loop thread only. */
    public Connection connection(long id) {
        return connections.get(id);
    }

    public int connectionCount() {
        return connections.size();
    }

    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** Stops accepting, closes every connection and listener (removing socket files) and waits. */
    @Override
    public void close() {
        stopping = true;
        if (thread == null) {
            shutdown(); // never started: nobody else will release the listeners
            return;
        }
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            terminated.join();
        }
    }

    ByteBuffer[] gatherScratch() {
        return gatherScratch;
    }

    ExecutorService tlsTasks() {
        return tlsTasks;
    }

    void markDirty(Connection connection) {
        dirty.add(connection);
    }

    void requestDispatch(Connection connection) {
        dispatchQueue.add(connection);
    }

    void closed(Connection connection, CloseReason reason) {
        connections.remove(connection.id());
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine("connection " + connection.id() + " from " + connection.peer() + " closed: " + reason);
        }
    }

    private void run() {
        try {
            while (!stopping) {
                turn();
            }
        } catch (Throwable t) {
            LOG.log(Level.SEVERE, "event loop failed", t);
        } finally {
            shutdown();
        }
    }

    private void turn() throws IOException {
        long now = now();
        long nextDeadline = Math.min(ticker.tick(now), fireTimers(now));
        if (!dispatchQueue.isEmpty() || !inbox.isEmpty() || !dirty.isEmpty()) {
            selector.selectNow();
        } else if (nextDeadline == Long.MAX_VALUE) {
            selector.select();
        } else {
            long wait = nextDeadline - now();
            if (wait > 0) {
                selector.select(wait);
            } else {
                selector.selectNow();
            }
        }
        now = now();
        for (SelectionKey key : selector.selectedKeys()) {
            if (!key.isValid()) {
                continue;
            }
            if (key.attachment() instanceof Listener listener) {
                acceptAll(listener, now);
                continue;
            }
            Connection connection = (Connection) key.attachment();
            if (key.isWritable()) {
                connection.flush();
            }
            if (key.isValid() && key.isReadable()) {
                connection.readFromChannel();
            }
        }
        selector.selectedKeys().clear();
        dispatchAll(now);
        runInbox();
        flushAll();
    }

    private long fireTimers(long now) {
        for (Timer t = timers.peek(); t != null && t.deadline() <= now; t = timers.peek()) {
            timers.remove(t);
            t.task.run();
        }
        return timers.nextDeadline();
    }

    /**
     * Dispatches every connection that asked, then, up to {@link #DISPATCH_PASSES} times, those
     * that asked while it went: a handler's reply handed to an HTTP session is written out in this
     * turn's flush, together with whatever else is already queued for it, instead of a turn later.
     * The bound keeps one busy client from holding the loop.
     */
    private void dispatchAll(long now) {
        for (int pass = 0; pass < DISPATCH_PASSES && !dispatchQueue.isEmpty(); pass++) {
            List<Connection> batch = dispatchQueue;
            dispatchQueue = dispatching;
            dispatching = batch;
            // handlers may ask for more while we go: those land in the fresh queue, for the next pass
            for (Connection connection : batch) {
                connection.dispatch(now);
            }
            batch.clear();
        }
    }

    private void runInbox() {
        Runnable task;
        while ((task = inbox.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "task failed", e);
            }
        }
    }

    private void flushAll() {
        // a flush may close a connection, whose handler may write to others: index loop on purpose
        for (int i = 0; i < dirty.size(); i++) {
            dirty.get(i).flush();
        }
        dirty.clear();
    }

    private void acceptAll(Listener listener, long now) throws IOException {
        for (int i = 0; i < MAX_ACCEPTS_PER_TURN; i++) {
            SocketChannel channel;
            try {
                channel = listener.channel().accept();
            } catch (IOException e) {
                // typically out of file descriptors: log and try again next turn
                LOG.log(Level.WARNING, "accept failed on " + listener.bound(), e);
                return;
            }
            if (channel == null) {
                return;
            }
            channel.configureBlocking(false);
            String peer;
            InetSocketAddress remote = null;
            if (listener.bound().network() == Network.TCP) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                remote = (InetSocketAddress) channel.getRemoteAddress();
                peer = remote.getAddress().getHostAddress() + ":" + remote.getPort();
            } else {
                peer = "unix:" + listener.bound().address();
            }
            SSLEngine engine = null;
            if (listener.tls() != null) {
                engine = listener.tls().createSSLEngine();
                engine.setUseClientMode(false);
            }
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            Connection connection = new Connection(this, channel, key, nextConnectionId++, listener.acceptor().kind(),
                    listener.bound().network(), remote, peer, now, listener.maxInputBytes(), engine);
            key.attach(connection);
            connections.put(connection.id(), connection);
            connection.attach(listener.acceptor().accept(connection));
        }
    }

    private void shutdown() {
        for (Listener listener : listeners) {
            listener.close();
        }
        for (Connection connection : new ArrayList<>(connections.values())) {
            connection.close(CloseReason.SHUTDOWN);
        }
        if (tlsTasks != null) {
            tlsTasks.shutdownNow();
        }
        try {
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            terminated.complete(null);
        }
    }
}
