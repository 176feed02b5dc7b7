package io.redjar.internal.pubsub;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads that run in-process listeners: a few <em>lanes</em>, each a queue of subscribers
 * with messages waiting and one thread serving it, plus a watchdog that keeps a stuck listener
 * from holding up the others.
 *
 * <p><b>Design.</b> Each subscriber is pinned to a lane when it is made. When a message makes it
 * runnable it is put on its lane's ready queue (once: the subscriber's own flag says whether it is
 * already queued or running); the lane's thread takes subscribers in turn and lets each run a
 * bounded batch, then queues it again at the tail if it has more (fairness). Under load a lane's
 * thread finds work waiting and never parks, so one wake-up serves many messages of many
 * subscribers; a thread per delivery (what a cached thread pool gives) costs a hand-off and a
 * context switch per message per subscriber, measured at 25x slower with 100 subscribers.
 *
 * <p><b>Isolation.</b> A listener that blocks or runs long must not stop the other subscribers of
 * its lane. Each lane's current worker records when its current call began; the watchdog, every
 * {@code stuck/2}, gives a lane whose call has run longer than {@code stuck} a new worker thread,
 * which serves the lane's queue from then on. The old worker, when the long call returns, keeps
 * only the subscriber it was running, drains it and ends. Meanwhile that subscriber's messages
 * accumulate in its own bounded queue (and cancel it at the output limit), exactly as for a
 * network client that stops reading.
 *
 * <p><b>Thread-safety:</b> thread-safe. {@link Lane#schedule} is called by publishers on any
 * thread; a task runs on one worker at a time (its owner guarantees it is queued at most once).
 */
final class DeliveryLanes {
    /** Something a lane runs: a subscriber with messages waiting. */
    interface Task {
        /**
         * Delivers some of the waiting messages.
         *
         * @return true when more remain and the task must be run again (it stays scheduled);
         *         false when it is done and no longer scheduled
         */
        boolean runSome();
    }

    private final Lane[] lanes;
    private final AtomicInteger next = new AtomicInteger();
    private final long stuckNanos;
    private final String name;
    private final AtomicInteger threads = new AtomicInteger();
    private volatile boolean closed;
    private volatile Thread watchdog;

    /**
     * @param lanes       how many lanes (threads serving in turn)
     * @param stuckMillis how long a listener call may run before its lane gets a new thread
     * @param name        thread name prefix
     */
    DeliveryLanes(int lanes, long stuckMillis, String name) {
        if (lanes < 1 || stuckMillis < 1) {
            throw new IllegalArgumentException("lanes " + lanes + ", stuck " + stuckMillis + " ms");
        }
        this.lanes = new Lane[lanes];
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = new Lane();
        }
        this.stuckNanos = TimeUnit.MILLISECONDS.toNanos(stuckMillis);
        this.name = name;
    }

    /** @return the lane for a new subscriber (round robin) */
    Lane assign() {
        return lanes[Math.floorMod(next.getAndIncrement(), lanes.length)];
    }

    /** Stops every worker and the watchdog; tasks still queued are dropped. */
    void close() {
        closed = true;
        for (Lane l : lanes) {
            Worker w = l.owner;
            if (w != null) {
                LockSupport.unpark(w.thread);
            }
        }
        Thread wd = watchdog;
        if (wd != null) {
            wd.interrupt();
        }
    }

    /** @return how many worker threads were ever started (tests) */
    int threadsStarted() {
        return threads.get();
    }

    private final class Worker implements Runnable {
        final Lane lane;
        final Thread thread;
        /** {@code System.nanoTime()} when the current call began, 0 between calls. */
        volatile long callStart;
        volatile boolean parked;

        Worker(Lane lane) {
            this.lane = lane;
            this.thread = new Thread(this, name + "-" + threads.incrementAndGet());
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (!closed && lane.owner == this) {
                Task t = lane.ready.poll();
                if (t == null) {
                    parked = true;
                    if (lane.ready.isEmpty() && lane.owner == this && !closed) {
                        LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
                    }
                    parked = false;
                    continue;
                }
                long start = System.nanoTime();
                callStart = start == 0 ? 1 : start;
                boolean more = t.runSome();
                callStart = 0;
                if (lane.owner != this) {
                    // replaced while in a long call: this thread keeps only that subscriber
                    while (more && !closed) {
                        more = t.runSome();
                    }
                    return;
                }
                if (more) {
                    lane.ready.add(t);
                }
            }
        }
    }

    /** One lane: a ready queue and its current worker. */
    final class Lane {
        final ConcurrentLinkedQueue<Task> ready = new ConcurrentLinkedQueue<>();
        volatile Worker owner;

        /** Queues {@code t} (not already queued) to run on this lane. */
        void schedule(Task t) {
            if (closed) {
                return;
            }
            ready.add(t);
            Worker w = owner;
            if (w == null) {
                start();
            } else if (w.parked) {
                LockSupport.unpark(w.thread);
            }
        }

        private synchronized void start() {
            if (owner == null && !closed) {
                replaceWorker();
                startWatchdog();
            }
        }

        private synchronized void replaceWorker() {
            Worker w = new Worker(this);
            owner = w;
            w.thread.start();
        }

        /** Called by the watchdog: a new worker if the current one is stuck in a call. */
        void check(long now) {
            Worker w = owner;
            if (w == null) {
                return;
            }
            long s = w.callStart;
            if (s != 0 && now - s > stuckNanos) {
                synchronized (this) {
                    if (owner == w && w.callStart == s && !closed) {
                        replaceWorker();
                    }
                }
            }
        }
    }

    private synchronized void startWatchdog() {
        if (watchdog != null || closed) {
            return;
        }
        Thread wd = new Thread(() -> {
            long period = Math.max(1, stuckNanos / 2);
            while (!closed) {
                LockSupport.parkNanos(this, period);
                if (Thread.interrupted() && closed) {
                    return;
                }
                long now = System.nanoTime();
                for (Lane l : lanes) {
                    l.check(now);
                }
            }
        }, name + "-watchdog");
        wd.setDaemon(true);
        watchdog = wd;
        wd.start();
    }
}
