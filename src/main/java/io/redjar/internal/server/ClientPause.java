package io.redjar.internal.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The server-wide client pause of Redis 7.0 ({@code pauseClients} / {@code unpauseClients} in
 * {@code networking.c}): one pause per {@link Purpose} (CLIENT PAUSE, SHUTDOWN), each with a type
 * ({@link Type#WRITE} or {@link Type#ALL}) and an end time; the effective pause is the most
 * restrictive live type, ending at the furthest end among the purposes of that type.
 *
 * <p>A command the pause holds (see {@code processCommand}: every command under {@code ALL}; under
 * {@code WRITE} the ones flagged {@code write} or {@code may-replicate}, scripts by their declared
 * flags) is not refused: its connection waits on {@link #released()} and submits it again, so
 * postponed clients resume in their arrival order and may be paused again if the pause got only
 * less restrictive. While any pause is on, keys are not expired (neither lazily nor actively) and
 * nothing is evicted: {@link #active()}.
 *
 * <p>The end time is checked on every {@link #type()} and by the engine's 10 ms sweep
 * ({@link #tick()}), which releases the waiting clients once it has passed.
 *
 * <p><b>Thread-safety:</b> thread-safe; state changes are synchronized, {@link #active()} is one
 * volatile read.
 */
public final class ClientPause {
    /** How restrictive a pause is, in increasing order (Redis's {@code pause_type}). */
    public enum Type { OFF, WRITE, ALL }

    /** Why the server pauses (Redis's {@code pause_purpose}); each purpose has its own pause. */
    public enum Purpose { CLIENT_COMMAND, SHUTDOWN }

    private final LongSupplier clock;
    private final Type[] types = new Type[Purpose.values().length];
    private final long[] ends = new long[Purpose.values().length];
    private volatile Type type = Type.OFF;
    private long end;
    private CompletableFuture<Void> released = new CompletableFuture<>();
    private final AtomicInteger postponed = new AtomicInteger();

    /** @param clock the store's clock, in ms */
    public ClientPause(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Pauses for {@code purpose} until {@code endMs} (absolute, the store's clock); an existing
     * pause of the same purpose keeps the more restrictive type and the later end.
     */
    public synchronized void pause(Purpose purpose, long endMs, Type t) {
        int i = purpose.ordinal();
        if (types[i] == null) {
            types[i] = t;
            ends[i] = endMs;
        } else {
            types[i] = types[i].compareTo(t) >= 0 ? types[i] : t;
            ends[i] = Math.max(ends[i], endMs);
        }
        update();
    }

    /** Ends the pause of {@code purpose} (CLIENT UNPAUSE); the waiting clients are re-processed. */
    public synchronized void unpause(Purpose purpose) {
        int i = purpose.ordinal();
        if (types[i] == null) {
            return;
        }
        types[i] = null;
        update();
    }

    /** @return whether any pause is on (no expiry, no eviction); may lag its end by a sweep */
    public boolean active() {
        return type != Type.OFF;
    }

    /** @return the effective pause type now, ending the pause first if its time has passed */
    public Type type() {
        Type t = type;
        if (t == Type.OFF) {
            return t;
        }
        synchronized (this) {
            if (end < clock.getAsLong()) {
                update();
            }
            return type;
        }
    }

    /** The periodic check: ends a pause whose time has passed. */
    public void tick() {
        type();
    }

    /**
     * @return completes when the effective pause next becomes less restrictive (ends, or is
     *         lowered from ALL to WRITE): a postponed command is then submitted again
     */
    public synchronized CompletableFuture<Void> released() {
        return released;
    }

    /** The held clients' futures, in arrival order: released in that order (Redis's postponed_clients list). */
    private final java.util.ArrayDeque<CompletableFuture<Void>> held = new java.util.ArrayDeque<>();

    /**
     * Holds one client until the pause next eases (counted in INFO {@code blocked_clients}).
     *
     * @return completes when the client may submit its command again; the held clients are
     *         released in the order they were held
     */
    public CompletableFuture<Void> postpone() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (this) {
            if (type == Type.OFF) {
                f.complete(null);
                return f;
            }
            held.addLast(f);
            postponed.incrementAndGet();
        }
        return f;
    }

    /** @return the clients held by the pause now */
    public int postponedClients() {
        return Math.max(0, postponed.get());
    }

    /**
     * Waits (a typed call of the embedded API) while {@code write} calls are paused, at most until
     * the pause ends.
     *
     * @param write whether the call writes (or may replicate)
     */
    public void awaitTyped(boolean write) {
        while (true) {
            Type t = type();
            if (t == Type.OFF || (t == Type.WRITE && !write)) {
                return;
            }
            CompletableFuture<Void> f;
            long wait;
            synchronized (this) {
                f = released;
                wait = Math.max(1, Math.min(100, end - clock.getAsLong() + 1));
            }
            try {
                f.get(wait, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // re-check the end time (the store's clock may be a manual one)
            } catch (java.util.concurrent.ExecutionException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.redjar.RedJarException("ERR interrupted while the server is paused");
            }
        }
    }

    /** Redis's {@code updateClientPauseTypeAndEndTime}. Caller holds this. */
    private void update() {
        Type old = type;
        long now = clock.getAsLong();
        Type t = Type.OFF;
        for (int i = 0; i < types.length; i++) {
            if (types[i] == null) {
                continue;
            }
            if (ends[i] < now) {
                types[i] = null;
            } else if (types[i].compareTo(t) > 0) {
                t = types[i];
            }
        }
        long e = 0;
        for (int i = 0; i < types.length; i++) {
            if (types[i] == t && ends[i] > e) {
                e = ends[i];
            }
        }
        type = t;
        end = e;
        if (t.compareTo(old) < 0) {
            CompletableFuture<Void> r = released;
            released = new CompletableFuture<>();
            r.complete(null);
            // Redis's unblockPostponedClients: every held client is re-processed, in order (and
            // may be held again if the pause only got less restrictive)
            CompletableFuture<Void> f;
            while ((f = held.pollFirst()) != null) {
                postponed.decrementAndGet();
                f.complete(null);
            }
        }
    }
}
