package org.msglite.server.exchange;

import org.msglite.server.util.DeadlineHeap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.msglite.server.protocol.ErrorText;

/**
 * Per-address queues and lines of waiting readers. Pure logic: no sockets, threads or clocks;
 * every call takes the current time in milliseconds ({@code now}) from a monotonic clock.
 *
 * <p>Not thread-safe by design: exactly one thread (the event loop) owns an exchange. Other
 * threads reach it by posting tasks to that thread.
 */
public final class Exchange {
    /** A queue whose messages have mixed timeouts is scanned at most this often. */
    static final long SCAN_INTERVAL_MILLIS = 100;
    /** A drained queue that once held more than this many messages gives its storage back. */
    private static final int SHRINK_AFTER_DEPTH = 64;

    private final ExchangeLimits limits;
    private final String replyPrefix;
    private final Map<String, Address> addresses = new HashMap<>();
    private final DeadlineHeap<Waiter> waiters = new DeadlineHeap<>();
    private final DeadlineHeap<Address> expiries = new DeadlineHeap<>();
    private final long sweepIntervalMillis;
    private long nextSweep;
    private long replyCounter;
    /** The latest {@code now} any call brought; what {@link #cancel} uses as its time. */
    private long clock;

    private long queuedMessages;
    private long queuedBytes;
    private long waitingReaders;
    private long sent;
    private long delivered;
    private long expired;
    private long readyTimeouts;
    private long queries;
    private long discarded;
    private Tap tap;
    /** Subscribers of every address (the bus's {@code GET /msgbus/}); copy-on-write like an address's. */
    private Subscriber[] allSubscribers = NO_SUBSCRIBERS;
    private static final Subscriber[] NO_SUBSCRIBERS = new Subscriber[0];

    /**
     * @param startEpochSeconds wall-clock seconds at start, the first half of reply addresses
     *                          ({@code <hex seconds>.<hex counter>}, the original's format)
     */
    public Exchange(ExchangeLimits limits, long startEpochSeconds, long now) {
        this.limits = limits;
        this.replyPrefix = Long.toHexString(startEpochSeconds) + ".";
        this.sweepIntervalMillis = Math.max(1000, limits.addressRetentionMillis() / 4);
        this.nextSweep = now + sweepIntervalMillis;
        this.clock = now;
    }

    /**
     * Delivers to the first waiting reader of {@code to}, or queues the message. Returns the
     * message as accepted ({@code null} if it was discarded), so a sender can later see whether
     * a reader took it.
     */
    public Message send(String to, String reply, int timeoutSeconds, byte[] body, long now) throws RejectedException {
        return send(to, reply, timeoutSeconds, body, null, now);
    }

    /**
     * {@link #send(String, String, int, byte[], long)} with the message bus's metadata. Every
     * subscriber of {@code to} (and of every address) gets the message as well, whether a reader
     * took it, it was queued, or (timeout 0, nobody waiting) it was dropped; a refused send
     * reaches nobody.
     */
    public Message send(String to, String reply, int timeoutSeconds, byte[] body, Metadata metadata, long now)
            throws RejectedException {
        clock = now;
        if (isStaleReplyAddress(to)) {
            // e.g. a reply to a query that timed out: its one reader is gone for good
            discarded++;
            return null;
        }
        Address address = address(to, false, now);
        // the number is only taken (nextSeq++) once the message is accepted: a refused send leaves no gap
        Message message = new Message(body, timeoutSeconds, address, reply, now, address.nextSeq, metadata);
        if (handToLine(address, message)) {
            accepted(address, message, now);
            return message;
        }
        if (timeoutSeconds == 0) {
            // a zero timeout means "only to a reader already waiting"
            accepted(address, message, now);
            address.expired++;
            expired++;
            settle(address);
            return message;
        }
        if (address.depth() >= limits.maxQueuedMessagesPerAddress()) {
            settle(address);
            throw new RejectedException(ErrorText.queueFull(address.name, limits.maxQueuedMessagesPerAddress()));
        }
        if (queuedBytes + body.length > limits.maxQueuedBytes()) {
            settle(address);
            throw new RejectedException(ErrorText.memoryFull(limits.maxQueuedBytes()));
        }
        accepted(address, message, now);
        enqueueLast(address, message);
        return message;
    }

    /**
     * Gives {@code reader} the first live message queued on its addresses, checked in the order
     * given; otherwise puts it in line on all of them. The reader may be called back before this
     * returns. Returns the pending waiter (to cancel when the reader goes away), or {@code null}
     * when the ready was answered at once.
     */
    public Waiter ready(Reader reader, String[] onAddresses, int timeoutSeconds, long now) {
        clock = now;
        for (String name : onAddresses) {
            Address address = addresses.get(name);
            if (address == null || address.depth() == 0) {
                continue;
            }
            address.lastActive = now;
            Message message = takeLive(address, now);
            if (message != null) {
                handOver(reader, address, message);
                return null;
            }
            settle(address);
        }
        if (timeoutSeconds == 0) {
            timedOut(onAddresses);
            reader.timedOut();
            return null;
        }
        Waiter waiter = new Waiter(reader, onAddresses.length);
        for (int i = 0; i < onAddresses.length; i++) {
            Address address = address(onAddresses[i], false, now);
            Waiter.Node node = new Waiter.Node(waiter, address);
            waiter.nodes[i] = node;
            address.appendToLine(node);
        }
        waitingReaders++;
        waiters.add(waiter, now + timeoutSeconds * 1000L);
        return waiter;
    }

    /**
     * Sends {@code body} to {@code to} with a fresh reply address and readies {@code reader} on
     * that address. Returns the pending waiter, or {@code null} if answered at once.
     */
    public Waiter query(Reader reader, String to, byte[] body, int timeoutSeconds, long now) throws RejectedException {
        clock = now;
        queries++;
        Address replyTo = address(nextReplyName(), true, now);
        Waiter waiter = ready(reader, new String[] {replyTo.name}, timeoutSeconds, now);
        try {
            send(to, replyTo.name, timeoutSeconds, body, now);
        } catch (RejectedException e) {
            cancel(waiter);
            throw e;
        }
        // null or already served when the timeout is 0 or the query was sent to its own reply address
        return waiter != null && waiter.pending() ? waiter : null;
    }

    /**
     * Makes a fresh address in the exchange's own namespace ({@code <hex seconds>.<hex counter>})
     * for a party that will wait on it several times, e.g. the HTTP proxy reading a streamed reply.
     * It lives until {@link #release}d; afterwards messages sent to it are discarded and counted
     * instead of piling up for nobody.
     */
    public String reserve(long now) {
        clock = now;
        Address address = address(nextReplyName(), true, now);
        address.reserved = true;
        return address.name;
    }

    /** Gives up a reserved address; whatever is still queued on it can still be taken. */
    public void release(String name) {
        Address address = addresses.get(name);
        if (address != null && address.generated) {
            address.reserved = false;
            settle(address);
        }
    }

    /**
     * Gives up a reserved address whose reader is gone for good (an HTTP client that hung up):
     * what is queued on it, and whatever is sent to it later, is discarded and counted.
     */
    public void discard(String name) {
        giveUp(name, true);
    }

    /**
     * Gives up a reserved address whose queued messages its sender knows nobody needs any more
     * (the body of an HTTP request whose response has ended, which its handler did not read).
     * They are dropped without counting as discarded or expired, since nothing went wrong; later
     * sends to the address are discarded and counted as with {@link #discard}.
     */
    public void withdraw(String name) {
        giveUp(name, false);
    }

    /** Empties a generated address and gives up its reservation; the two callers differ only in the count. */
    private void giveUp(String name, boolean countDiscarded) {
        Address address = addresses.get(name);
        if (address == null || !address.generated) {
            return;
        }
        Message message;
        while (address.depth() > 0 && (message = address.queue.pollFirst()) != null) {
            dequeued(address, message);
            if (countDiscarded) {
                discarded++;
            }
        }
        address.reserved = false;
        settle(address);
    }

    /**
     * Gives {@code subscriber} a copy of every message later accepted on {@code name}, or on every
     * address except the exchange's own reply addresses when {@code name} is {@code null}. The
     * address is kept (not forgotten while idle) as long as someone subscribes to it.
     */
    public void subscribe(String name, Subscriber subscriber, long now) {
        clock = now;
        if (name == null) {
            allSubscribers = withAdded(allSubscribers, subscriber);
            return;
        }
        Address address = address(name, false, now);
        address.subscribers = withAdded(address.subscribers == null ? NO_SUBSCRIBERS : address.subscribers, subscriber);
    }

    /** Ends a {@link #subscribe}; harmless if it already ended. */
    public void unsubscribe(String name, Subscriber subscriber) {
        if (name == null) {
            allSubscribers = withRemoved(allSubscribers, subscriber);
            return;
        }
        Address address = addresses.get(name);
        if (address != null && address.subscribers != null) {
            Subscriber[] left = withRemoved(address.subscribers, subscriber);
            address.subscribers = left.length == 0 ? null : left;
            settle(address);
        }
    }

    /**
     * Deletes an address as a message-bus topic: its queued messages are dropped (counted as
     * expired) and, unless readers wait on it or subscribers listen to it, the address is
     * forgotten, so its numbering starts again at 0. Returns false if there was no such address.
     */
    public boolean delete(String name, long now) {
        clock = now;
        Address address = addresses.get(name);
        if (address == null || address.generated) {
            return false;
        }
        purge(name);
        if (address.idle()) {
            addresses.remove(name);
            expiries.remove(address);
        }
        return true;
    }

    /** Every address but the exchange's own reply addresses, as the message bus lists topics. */
    public List<TopicInfo> topics() {
        List<TopicInfo> result = new ArrayList<>();
        for (Address a : addresses.values()) {
            if (!a.generated) {
                result.add(new TopicInfo(a.name, a.createdAt, a.nextSeq, a.depth(), subscriberCount(a)));
            }
        }
        return result;
    }

    private static int subscriberCount(Address address) {
        int count = 0;
        if (address.subscribers != null) {
            for (Subscriber s : address.subscribers) {
                count += s.count();
            }
        }
        return count;
    }

    /** Installs the one tap (the monitor's fan-out), or removes it with {@code null}. */
    public void setTap(Tap newTap) {
        tap = newTap;
    }

    /** Up to {@code limit} messages queued on {@code name}, head first, without taking them. */
    public List<Message> peek(String name, int limit, long now) {
        Address address = addresses.get(name);
        List<Message> result = new ArrayList<>();
        if (address == null || address.depth() == 0) {
            return result;
        }
        for (Message m : address.queue) {
            if (result.size() >= limit) {
                break;
            }
            if (m.deadline() > now) {
                result.add(m);
            }
        }
        return result;
    }

    /** Drops every message queued on {@code name}, counted as expired; returns how many. */
    public int purge(String name) {
        Address address = addresses.get(name);
        int purged = 0;
        Message message;
        while (address != null && address.depth() > 0 && (message = address.queue.pollFirst()) != null) {
            dequeued(address, message);
            address.expired++;
            expired++;
            purged++;
        }
        if (address != null) {
            settle(address);
        }
        return purged;
    }

    /** Withdraws a pending ready, e.g. because its connection closed. Harmless if already done. */
    public void cancel(Waiter waiter) {
        if (waiter != null && waiter.pending()) {
            withdraw(waiter);
        }
    }

    /**
     * Takes back messages that were handed to a reader that could not pass them on (its
     * connection died with them unsent), in the order they were handed out: they go to waiting
     * readers or back to the head of their queues. Limits do not apply: these were accepted.
     */
    public void requeue(List<Message> messages, long now) {
        clock = now;
        List<Message> toQueue = new ArrayList<>();
        for (Message message : messages) {
            message.address().delivered--;
            delivered--;
            if (message.address().generated || message.deadline() <= now) {
                // a query's reply address served its one reader, who is gone: nobody can take it
                message.address().expired++;
                expired++;
                continue;
            }
            Address address = address(message.to(), false, now); // the same one, unless swept meanwhile
            if (!handToLine(address, message)) {
                toQueue.add(message);
            }
        }
        for (int i = toQueue.size() - 1; i >= 0; i--) {
            Message message = toQueue.get(i);
            enqueueFirst(address(message.to(), false, now), message);
        }
    }

    /**
     * Fires every ready timeout and message expiry due at {@code now}; returns when the next
     * one is due, so the caller can sleep exactly that long.
     */
    public long advance(long now) {
        clock = now;
        for (Waiter w = waiters.peek(); w != null && w.deadline() <= now; w = waiters.peek()) {
            withdraw(w);
            for (Waiter.Node node : w.nodes) {
                node.address.readyTimeouts++;
            }
            readyTimeouts++;
            w.reader.timedOut();
        }
        for (Address a = expiries.peek(); a != null && a.deadline() <= now; a = expiries.peek()) {
            expiries.remove(a);
            expire(a, now);
        }
        if (now >= nextSweep) {
            sweepIdle(now);
            nextSweep = now + sweepIntervalMillis;
        }
        return Math.min(nextSweep, Math.min(waiters.nextDeadline(), expiries.nextDeadline()));
    }

    public ExchangeSnapshot snapshot(long now) {
        List<ExchangeSnapshot.AddressStats> stats = new ArrayList<>(addresses.size());
        for (Address a : addresses.values()) {
            Message head = a.depth() == 0 ? null : a.queue.peekFirst();
            long oldest = head == null ? 0 : Math.max(0, now - head.receivedAt());
            stats.add(new ExchangeSnapshot.AddressStats(a.name, a.depth(), a.waiting, oldest,
                    a.sent, a.delivered, a.expired, a.readyTimeouts));
        }
        var totals = new ExchangeSnapshot.Totals(addresses.size(), queuedMessages, queuedBytes, waitingReaders,
                sent, delivered, expired, readyTimeouts, queries, discarded);
        return new ExchangeSnapshot(now, totals, List.copyOf(stats));
    }

    private String nextReplyName() {
        return replyPrefix + Long.toHexString(replyCounter++);
    }

    /** A name this exchange generated earlier that is no longer in use. */
    private boolean isStaleReplyAddress(String name) {
        if (!name.startsWith(replyPrefix) || addresses.containsKey(name)) {
            return false;
        }
        String counter = name.substring(replyPrefix.length());
        if (counter.isEmpty() || counter.length() > 16) {
            return false;
        }
        for (int i = 0; i < counter.length(); i++) {
            if (Character.digit(counter.charAt(i), 16) < 0 || Character.isUpperCase(counter.charAt(i))) {
                return false;
            }
        }
        return Long.compareUnsigned(Long.parseUnsignedLong(counter, 16), replyCounter) < 0;
    }

    private Address address(String name, boolean generated, long now) {
        Address address = addresses.get(name);
        if (address == null) {
            address = new Address(name, generated, now);
            addresses.put(name, address);
        } else {
            address.lastActive = now;
        }
        return address;
    }

    /** Counts a send the exchange took on (a refused one is not counted) and shows it to the tap. */
    private void accepted(Address address, Message message, long now) {
        address.sent++;
        address.nextSeq++;
        sent++;
        if (tap != null) {
            tap.onMessage(message, now);
        }
        if (address.subscribers != null) {
            for (Subscriber s : address.subscribers) {
                s.onMessage(message, now);
            }
        }
        if (allSubscribers.length > 0 && !address.generated) {
            for (Subscriber s : allSubscribers) {
                s.onMessage(message, now);
            }
        }
    }

    private static Subscriber[] withAdded(Subscriber[] list, Subscriber subscriber) {
        Subscriber[] result = Arrays.copyOf(list, list.length + 1);
        result[list.length] = subscriber;
        return result;
    }

    private static Subscriber[] withRemoved(Subscriber[] list, Subscriber subscriber) {
        for (int i = 0; i < list.length; i++) {
            if (list[i] == subscriber) {
                Subscriber[] result = Arrays.copyOf(list, list.length - 1);
                for (int j = i; j < result.length; j++) {
                    result[j] = list[j + 1];
                }
                return result;
            }
        }
        return list;
    }

    /** Offers the message down the line until a live reader takes it. */
    private boolean handToLine(Address address, Message message) {
        while (address.lineHead != null) {
            Waiter waiter = address.lineHead.waiter;
            withdraw(waiter);
            if (waiter.reader.deliver(message)) {
                message.markHandedOut();
                address.delivered++;
                delivered++;
                settle(address);
                return true;
            }
        }
        return false;
    }

    private void handOver(Reader reader, Address address, Message message) {
        if (reader.deliver(message)) {
            message.markHandedOut();
            address.delivered++;
            delivered++;
            settle(address);
        } else {
            enqueueFirst(address, message);
        }
    }

    private void withdraw(Waiter waiter) {
        waiters.remove(waiter);
        waitingReaders--;
        for (Waiter.Node node : waiter.nodes) {
            node.address.unlink(node);
            settle(node.address);
        }
    }

    /** Removes the head, skipping (and counting) messages whose time ran out. */
    private Message takeLive(Address address, long now) {
        ArrayDeque<Message> queue = address.queue;
        Message message;
        while ((message = queue.pollFirst()) != null) {
            dequeued(address, message);
            if (message.deadline() > now) {
                return message;
            }
            address.expired++;
            expired++;
        }
        return null;
    }

    private void enqueueLast(Address address, Message message) {
        if (address.queue == null) {
            address.queue = new ArrayDeque<>();
        }
        long deadline = message.deadline();
        if (address.queue.isEmpty()) {
            address.monotone = true;
        } else if (deadline < address.tailDeadline) {
            address.monotone = false;
        }
        address.tailDeadline = Math.max(address.tailDeadline, deadline);
        address.queue.addLast(message);
        address.peakDepth = Math.max(address.peakDepth, address.queue.size());
        enqueued(address, message);
    }

    private void enqueueFirst(Address address, Message message) {
        if (address.queue == null) {
            address.queue = new ArrayDeque<>();
        }
        Message head = address.queue.peekFirst();
        if (head == null) {
            address.monotone = true;
            address.tailDeadline = message.deadline();
        } else if (message.deadline() > head.deadline()) {
            address.monotone = false;
        }
        address.queue.addFirst(message);
        address.peakDepth = Math.max(address.peakDepth, address.queue.size());
        enqueued(address, message);
    }

    private void enqueued(Address address, Message message) {
        queuedMessages++;
        queuedBytes += message.body().length;
        long deadline = message.deadline();
        if (!address.scheduled()) {
            expiries.add(address, deadline);
        } else if (deadline < address.deadline()) {
            expiries.remove(address);
            expiries.add(address, deadline);
        }
    }

    private void dequeued(Address address, Message message) {
        queuedMessages--;
        queuedBytes -= message.body().length;
        if (address.queue.isEmpty()) {
            address.tailDeadline = 0;
            address.monotone = true;
            expiries.remove(address);
            if (address.peakDepth > SHRINK_AFTER_DEPTH) {
                // an ArrayDeque never shrinks: drop the one a burst grew rather than keep its peak size
                address.queue = null;
                address.peakDepth = 0;
            }
        }
    }

    /** Drops expired messages of one address and schedules its next check. */
    private void expire(Address address, long now) {
        if (address.depth() == 0) {
            settle(address);
            return;
        }
        long next;
        if (address.monotone) {
            ArrayDeque<Message> queue = address.queue; // dequeued() may drop the address's reference
            Message head;
            while ((head = queue.peekFirst()) != null && head.deadline() <= now) {
                queue.pollFirst();
                dequeued(address, head);
                address.expired++;
                expired++;
            }
            next = head == null ? Long.MAX_VALUE : head.deadline();
        } else {
            next = Long.MAX_VALUE;
            for (Iterator<Message> it = address.queue.iterator(); it.hasNext(); ) {
                Message m = it.next();
                if (m.deadline() <= now) {
                    it.remove();
                    dequeued(address, m);
                    address.expired++;
                    expired++;
                } else {
                    next = Math.min(next, m.deadline());
                }
            }
            next = Math.max(next, now + SCAN_INTERVAL_MILLIS);
        }
        if (address.depth() > 0) {
            expiries.add(address, next);
        } else {
            settle(address);
        }
    }

    private void timedOut(String[] onAddresses) {
        readyTimeouts++;
        for (String name : onAddresses) {
            Address address = addresses.get(name);
            if (address != null) {
                address.readyTimeouts++;
                settle(address);
            }
        }
    }

    /**
     * Called wherever an address may have become idle: a query's reply address is forgotten at
     * once; any other starts its retention period now.
     */
    private void settle(Address address) {
        if (!address.idle() || address.reserved) {
            return;
        }
        if (address.generated) {
            addresses.remove(address.name);
            expiries.remove(address);
        } else {
            address.lastActive = clock;
        }
    }

    private void sweepIdle(long now) {
        long cutoff = now - limits.addressRetentionMillis();
        addresses.values().removeIf(a -> a.idle() && a.lastActive <= cutoff && !a.scheduled());
    }
}
