package org.msglite.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One thread holding many subscriber connections on one selector, so thousands of subscribers
 * take a few threads. It opens them a bounded number at a time (a burst of thousands of connects
 * would overrun the daemon's accept backlog), then reads until {@link #stop}. Every read is timed
 * with its own {@link System#nanoTime()}, so a long pass over many ready sockets does not make
 * later ones look faster than they were.
 */
final class SubscriberLoop implements Runnable {
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final Endpoint bus;
    private final List<PushSubscriber> subscribers;
    private final int maxConnecting;
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private final CountDownLatch subscribed;
    private volatile boolean stopping;
    /** Messages received by this loop's subscribers so far; written by the loop, read by the scenario. */
    private volatile long delivered;
    private volatile long lastDeliveryNanos;
    private volatile Throwable crash;

    SubscriberLoop(Endpoint bus, List<PushSubscriber> subscribers, int maxConnecting, CountDownLatch subscribed)
            throws IOException {
        this.bus = bus;
        this.subscribers = subscribers;
        this.maxConnecting = maxConnecting;
        this.subscribed = subscribed;
        this.selector = Selector.open();
    }

    long delivered() {
        return delivered;
    }

    long lastDeliveryNanos() {
        return lastDeliveryNanos;
    }

    Throwable crash() {
        return crash;
    }

    void stop() {
        stopping = true;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (Throwable t) {
            crash = t;
            for (long i = subscribed.getCount(); i > 0; i--) {
                subscribed.countDown(); // nobody waits for subscriptions that will never come
            }
        } finally {
            for (PushSubscriber s : subscribers) {
                closeQuietly(s);
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // the run is over; nothing is left to read from it
            }
        }
    }

    private void loop() throws IOException {
        int next = 0;
        int connecting = 0;
        long total = 0;
        InetSocketAddress address = new InetSocketAddress(bus.host(), bus.port());
        while (!stopping) {
            while (next < subscribers.size() && connecting < maxConnecting) {
                open(subscribers.get(next++), address);
                connecting++;
            }
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                PushSubscriber s = (PushSubscriber) key.attachment();
                boolean wasSubscribed = s.subscribed();
                try {
                    if (key.isConnectable()) {
                        s.channel.finishConnect();
                        ByteBuffer request = ByteBuffer.wrap(s.request());
                        while (request.hasRemaining()) {
                            s.channel.write(request); // a few dozen bytes into an empty socket buffer
                        }
                        key.interestOps(SelectionKey.OP_READ);
                    } else if (key.isReadable()) {
                        long before = s.received();
                        if (read(s)) {
                            connecting--;
                            subscribed.countDown();
                        }
                        long got = s.received() - before;
                        if (got > 0) {
                            total += got;
                            lastDeliveryNanos = System.nanoTime();
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    s.fail(e.getMessage() == null ? e.toString() : e.getMessage());
                    key.cancel();
                    closeQuietly(s);
                    if (!wasSubscribed) {
                        connecting--;
                        subscribed.countDown(); // counted so setup ends; the scenario sees the failure
                    }
                }
            }
            selector.selectedKeys().clear();
            delivered = total;
        }
    }

    private void open(PushSubscriber s, InetSocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        s.channel = channel;
        channel.connect(address);
        channel.register(selector, SelectionKey.OP_CONNECT, s);
    }

    /** Reads what is there; true when this completed the subscription. */
    private boolean read(PushSubscriber s) throws IOException {
        boolean justSubscribed = false;
        while (true) {
            readBuffer.clear();
            int n = s.channel.read(readBuffer);
            if (n < 0) {
                throw new IOException("the daemon closed the connection");
            }
            if (n == 0) {
                return justSubscribed;
            }
            justSubscribed |= s.onBytes(readBuffer.array(), 0, n, System.nanoTime());
            if (n < readBuffer.capacity()) {
                return justSubscribed; // drained for now; the selector tells when more comes
            }
        }
    }

    private static void closeQuietly(PushSubscriber s) {
        if (s.channel != null) {
            try {
                s.channel.close();
            } catch (IOException ignored) {
                // closing at the end of a run: nothing to report
            }
        }
    }
}
