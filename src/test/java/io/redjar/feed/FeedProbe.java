package io.redjar.feed;

import io.redjar.Change;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A test subscriber: requests only when told, records what arrives and flags any breach of the
 * Reactive Streams contract it can see (more {@code onNext} than requested, signals after a
 * terminal one, overlapping signals).
 */
final class FeedProbe implements Flow.Subscriber<Change> {
    final LinkedBlockingQueue<Change> items = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final AtomicLong requested = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong inSignal = new AtomicLong();
    private volatile Flow.Subscription subscription;
    volatile String violation;

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        subscribed.countDown();
    }

    @Override
    public void onNext(Change c) {
        enter();
        if (received.incrementAndGet() > requested.get()) {
            violation = "onNext beyond demand: " + received.get() + " > " + requested.get();
        }
        if (done.isDone()) {
            violation = "onNext after a terminal signal";
        }
        items.add(c);
        inSignal.decrementAndGet();
    }

    private void enter() {
        if (inSignal.incrementAndGet() != 1) {
            violation = "overlapping signals";
        }
    }

    @Override
    public void onError(Throwable t) {
        enter();
        if (!done.completeExceptionally(t)) {
            violation = "second terminal signal";
        }
        inSignal.decrementAndGet();
    }

    @Override
    public void onComplete() {
        enter();
        if (!done.complete(null)) {
            violation = "second terminal signal";
        }
        inSignal.decrementAndGet();
    }

    FeedProbe request(long n) {
        awaitSubscribed();
        requested.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
        subscription.request(n);
        return this;
    }

    void cancel() {
        awaitSubscribed();
        subscription.cancel();
    }

    private void awaitSubscribed() {
        try {
            assertTrue(subscribed.await(10, TimeUnit.SECONDS), "onSubscribe within 10 s");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** @return the next change (failing if none comes within 10 s) */
    Change take() throws InterruptedException {
        Change c = items.poll(10, TimeUnit.SECONDS);
        assertNotNull(c, "a change within 10 s (terminal: " + done + ")");
        return c;
    }

    /** @return the changes up to and including offset {@code last} */
    List<Change> takeThrough(long last) throws InterruptedException {
        List<Change> out = new ArrayList<>();
        while (out.isEmpty() || out.get(out.size() - 1).offset() < last) {
            out.add(take());
        }
        assertEquals(last, out.get(out.size() - 1).offset(), "ends exactly at " + last);
        return out;
    }

    /** @return the terminal error (failing unless one comes within 10 s) */
    Throwable awaitError() throws Exception {
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("completed instead of failing");
    }

    void awaitComplete() throws Exception {
        done.get(10, TimeUnit.SECONDS);
    }

    void assertClean() {
        assertNull(violation, violation);
    }
}
