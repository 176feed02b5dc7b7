package io.redjar.internal.feed;

import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One subscriber's subscription to the change feed: a pull-based delivery loop that reads the log
 * only as far as the subscriber's demand reaches.
 *
 * <p><b>Design.</b> Nothing is buffered per subscriber: the log is the buffer, and the loop reads
 * the next record from it only when {@code request(n)} left demand. The loop runs on the feed's
 * executor, at most one run at a time per subscription (a work-in-progress counter: a signal that
 * arrives during a run makes the run go round again instead of starting a second one), so
 * {@code onNext} calls are serial and a {@code request} from inside {@code onNext} does not
 * recurse. Writers only {@link #signal()} after a round (an atomic increment, and a hand-off to
 * the executor when the loop is idle and has demand): a slow subscriber costs them nothing.
 * Terminal signals: {@code onError} when the start (or next) offset was discarded by retention or
 * the log cannot be read, {@code onComplete} when the feed closes; {@code cancel} stops delivery
 * at the next record.
 *
 * <p><b>Thread-safety:</b> thread-safe: {@link #request}, {@link #cancel} and {@link #signal} may
 * be called from any thread; the loop's own state is confined to the running loop.
 *
 * @param <T> what the subscriber receives (the public {@code Change})
 */
final class FeedSubscription<T> implements Flow.Subscription {
    private static final System.Logger LOG = System.getLogger("io.redjar");

    private final Flow.Subscriber<? super T> subscriber;
    private final FeedReader reader;
    private final Function<FeedRecord, T> map;
    private final Executor executor;
    private final Consumer<FeedSubscription<?>> onTerminate;
    private final java.util.function.BooleanSupplier feedClosed;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean cancelled;
    /** Set once {@code onSubscribe} returned: no signal may overlap it (Reactive Streams rule 1.3). */
    private volatile boolean started;
    private volatile Throwable badRequest;
    /** Confined to the loop. */
    private boolean done;

    FeedSubscription(Flow.Subscriber<? super T> subscriber, FeedReader reader, Function<FeedRecord, T> map,
                     Executor executor, java.util.function.BooleanSupplier feedClosed,
                     Consumer<FeedSubscription<?>> onTerminate) {
        this.subscriber = subscriber;
        this.reader = reader;
        this.map = map;
        this.executor = executor;
        this.feedClosed = feedClosed;
        this.onTerminate = onTerminate;
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            badRequest = new IllegalArgumentException("request(" + n + "): non-positive request (Reactive Streams rule 3.9)");
        } else {
            demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
        }
        schedule();
    }

    @Override
    public void cancel() {
        cancelled = true;
        schedule();
    }

    /** New records are visible (or the feed closes): runs the loop if it has demand. */
    void signal() {
        if (demand.get() > 0 || feedClosed.getAsBoolean()) {
            schedule();
        }
    }

    /** {@code onSubscribe} has returned: delivery may begin. */
    void start() {
        started = true;
        schedule();
    }

    private void schedule() {
        if (wip.getAndIncrement() == 0) {
            try {
                executor.execute(this::run);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                run(); // the feed is closing: finish here
            }
        }
    }

    private void run() {
        int missed = 1;
        for (;;) {
            if (!done && started) {
                drain();
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void drain() {
        long d = demand.get();
        long sent = 0;
        while (true) {
            if (cancelled) {
                finish();
                return;
            }
            Throwable bad = badRequest;
            if (bad != null) {
                error(bad);
                return;
            }
            if (feedClosed.getAsBoolean()) {
                finish();
                safe(subscriber::onComplete);
                return;
            }
            if (sent == d) {
                d = d == Long.MAX_VALUE ? d : demand.addAndGet(-sent);
                sent = 0;
                if (d == 0) {
                    return;
                }
            }
            FeedRecord r;
            try {
                r = reader.poll();
            } catch (Exception e) {
                error(e);
                return;
            }
            if (r == null) {
                if (d != Long.MAX_VALUE && sent > 0) {
                    demand.addAndGet(-sent);
                }
                return;
            }
            T item = map.apply(r);
            try {
                subscriber.onNext(item);
            } catch (Throwable t) {
                // Reactive Streams rule 2.13: a throwing subscriber is cancelled
                LOG.log(System.Logger.Level.WARNING, "change feed subscriber " + subscriber + " threw from onNext; cancelled", t);
                cancelled = true;
                finish();
                return;
            }
            sent++;
        }
    }

    private void error(Throwable t) {
        finish();
        safe(() -> subscriber.onError(t));
    }

    private void finish() {
        if (!done) {
            done = true;
            reader.close();
            onTerminate.accept(this);
        }
    }

    private void safe(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "change feed subscriber " + subscriber + " threw from a terminal signal", e);
        }
    }
}
