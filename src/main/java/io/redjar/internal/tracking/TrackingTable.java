package io.redjar.internal.tracking;

import io.redjar.Reply;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.KeyspaceEvents;
import io.redjar.internal.keyspace.KeyspaceListener;
import io.redjar.internal.pubsub.ClientSubscriber;
import io.redjar.internal.server.ClientRegistry;
import io.redjar.internal.server.ClientState;
import io.redjar.internal.server.ClientTracking;
import io.redjar.internal.server.TrackingCounts;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Client-side caching (Redis 7.0's {@code tracking.c}): the tracking table (key name → ids of the
 * clients that may have it cached; database-blind, as Redis), the BCAST prefix table (prefix →
 * subscribed clients and the keys modified since the last broadcast, each with its last writer
 * for NOLOOP), and the sending of invalidations.
 *
 * <p><b>Flow.</b> A tracking client's read command remembers its keys ({@link ReadTracker},
 * after the command, Redis's {@code trackingRememberKeys}). Every modification reaches
 * {@link #modified} (a {@link KeyspaceListener}, registered with the first CLIENT TRACKING ON):
 * the key is taken out of the table and each of its clients gets one invalidation; a key matching
 * BCAST prefixes is added to their pending batches, which {@link #broadcast} sends after each
 * command and on the engine's 10 ms tick (Redis: once per event-loop cycle, in
 * {@code beforeSleep}). FLUSHDB/FLUSHALL empty the table and send every tracking client a null
 * key list; SWAPDB invalidates nothing (as Redis 7.0). {@code tracking-table-max-keys} is
 * enforced before each command and on the tick ({@link #limit}), by invalidating keys with
 * Redis's growing effort (100, 200, ... keys per pass).
 *
 * <p><b>Ordering.</b> An invalidation for the client whose command is running on the thread
 * ({@link TrackingScope#current}) while its handler runs is held back and sent after that
 * command's reply (Redis's {@code tracking_pending_keys}), so it never splits a reply (MULTI,
 * MGET with a lazily expired key); every other invalidation is written at once, after what the
 * target connection already has queued (for the running client itself outside its handler, e.g.
 * table-limit evictions before a command: before its reply, as Redis).
 *
 * <p><b>Delivery</b> ({@code sendTrackingMessage}): to the redirection client if there is one
 * (gone: the tracking client is marked {@code broken_redirect} and, in RESP3, told
 * {@code tracking-redir-broken}), as a RESP3 push, or for a RESP2 redirection client in pub/sub
 * mode as a message on {@code __redis__:invalidate}; RESP2 without redirection gets nothing.
 * Frames to a subscribed client go through its {@link ClientSubscriber} (the pub/sub output
 * limit: a slow client is cut off, the writer never waits), others through the client's
 * {@code Peer}, which queues without blocking.
 *
 * <p><b>Memory.</b> The table holds one Java map entry per tracked key (Redis: a rax node) and
 * one boxed id per (key, client) pair; it is bounded by {@code tracking-table-max-keys}. The
 * off-heap rule (no Java object per stored entry) concerns the keyspace, not this index.
 *
 * <p><b>Thread-safety:</b> thread-safe. Invalidations fire from many writer threads at once, each
 * under the shard lock of its key (every lock for a flush). All table state is guarded by this
 * object's monitor, always taken innermost (after any shard lock, and never while waiting for
 * anything else), and held only to update the maps and collect the targets: frames are written
 * after it is released (still under the writer's shard lock, which keeps the invalidations of
 * one key in write order; writing only queues). Broadcasts additionally serialise on their own
 * lock (taken before the monitor, never inside it) so that batches reach each client in order.
 * When no client tracks, a write costs one volatile read, and until the first CLIENT TRACKING ON
 * the table is not even a keyspace listener. A read that races with a write of the same key on
 * another thread is still told: a tracking client's read remembers its keys both before its
 * handler runs and after (Redis: after only), so a write between the two, on any thread, finds
 * the client in the table; the invalidation then follows the read's reply on the client's
 * connection. The read's own lazy expiry of a key remembered only for it is not sent (Redis
 * remembers after the read, so it never sees that key as cached).
 */
public final class TrackingTable implements KeyspaceListener, ClientTracking.Owner, TrackingCounts {
    private static final byte[] EMPTY = new byte[0];

    /** One BCAST prefix: its clients and the keys modified since the last broadcast. */
    private static final class Bcast {
        final LinkedHashSet<ClientState> clients = new LinkedHashSet<>();
        /** Key → the client that last modified it (null: expiry, eviction, no client). */
        TreeMap<byte[], ClientState> keys = new TreeMap<>(Arrays::compareUnsigned);
    }

    /** One invalidation to send: a client and its keys (null: every key). */
    private record Delivery(ClientState target, List<byte[]> keys) {
    }

    private final KeyspaceEvents events;
    private final ClientRegistry clients;
    private final Function<ClientState, ClientSubscriber> subscribers;
    private final LongSupplier maxKeys;
    private final Map<ByteBuffer, LinkedHashSet<Long>> table = new HashMap<>();
    private final TreeMap<byte[], Bcast> prefixes = new TreeMap<>(Arrays::compareUnsigned);
    private final Object broadcastLock = new Object();
    private long items;
    private volatile int trackingClients;
    private volatile int prefixCount;
    /** Whether some prefix has keys waiting for {@link #broadcast} (set under the monitor). */
    private volatile boolean broadcastDue;
    private boolean listening;
    private volatile int timeoutCounter;
    /** {@code table.size()}, published for the lock-free fast paths (written under the monitor). */
    private volatile int tableSize;

    /**
     * @param events      where to listen for modifications
     * @param clients     the connected clients (redirection lookups, flush fan-out)
     * @param subscribers a client's pub/sub subscriber if it has one, else null
     * @param maxKeys     the current {@code tracking-table-max-keys}
     */
    public TrackingTable(KeyspaceEvents events, ClientRegistry clients, Function<ClientState, ClientSubscriber> subscribers,
                         LongSupplier maxKeys) {
        this.events = events;
        this.clients = clients;
        this.subscribers = subscribers;
        this.maxKeys = maxKeys;
    }

    /** @return whether any client has tracking on */
    public boolean active() {
        return trackingClients != 0;
    }

    // ---- enabling -----------------------------------------------------------------------

    /**
     * @return the error CLIENT TRACKING ON answers when {@code newPrefixes} overlap each other or
     *         the client's existing prefixes (Redis's {@code checkPrefixCollisionsOrReply}), or null
     */
    public synchronized String prefixCollision(ClientState c, List<byte[]> newPrefixes) {
        for (int i = 0; i < newPrefixes.size(); i++) {
            byte[] p = newPrefixes.get(i);
            for (byte[] existing : sorted(c.tracking().prefixesLocked())) {
                if (overlap(existing, p)) {
                    return "ERR Prefix '" + str(p) + "' overlaps with an existing prefix '" + str(existing)
                        + "'. Prefixes for a single client must not overlap.";
                }
            }
            for (int j = i + 1; j < newPrefixes.size(); j++) {
                if (overlap(p, newPrefixes.get(j))) {
                    return "ERR Prefix '" + str(p) + "' overlaps with another provided prefix '" + str(newPrefixes.get(j))
                        + "'. Prefixes for a single client must not overlap.";
                }
            }
        }
        return null;
    }

    private static List<byte[]> sorted(List<byte[]> l) {
        List<byte[]> s = new ArrayList<>(l);
        s.sort(Arrays::compareUnsigned);
        return s;
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    private static String str(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++; // printed as a C string, as Redis's %s
        }
        return new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Redis's {@code enableTracking}; the options were validated by the command. */
    public void enable(ClientState c, long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop,
                       List<byte[]> newPrefixes) {
        synchronized (this) {
            ClientTracking t = c.tracking();
            if (!t.on()) {
                trackingClients++;
            }
            t.enable(this, redirect, bcast, optin, optout, noloop);
            if (!listening) {
                events.add(this);
                listening = true;
            }
            if (bcast) {
                if (newPrefixes.isEmpty()) {
                    subscribe(c, EMPTY);
                }
                for (byte[] p : newPrefixes) {
                    subscribe(c, p.clone());
                }
            }
            prefixCount = prefixes.size();
        }
    }

    private void subscribe(ClientState c, byte[] prefix) {
        Bcast bs = prefixes.computeIfAbsent(prefix, x -> new Bcast());
        if (bs.clients.add(c)) {
            c.tracking().prefixesLocked().add(prefix);
        }
    }

    /** Redis's {@code disableTracking} (CLIENT TRACKING OFF, RESET, disconnect). */
    @Override
    public synchronized void disable(ClientState c) {
        ClientTracking t = c.tracking();
        if (t.bcast()) {
            for (byte[] p : t.prefixesLocked()) {
                Bcast bs = prefixes.get(p);
                if (bs != null) {
                    bs.clients.remove(c);
                    if (bs.clients.isEmpty()) {
                        prefixes.remove(p);
                    }
                }
            }
            t.prefixesLocked().clear();
            prefixCount = prefixes.size();
        }
        if (t.on()) {
            trackingClients--;
            t.clear();
        }
    }

    // ---- remembering --------------------------------------------------------------------

    /** Remembers that client {@code id} may cache {@code argv}'s keys at {@code refs}' positions. */
    void remember(long id, byte[][] argv, io.redjar.internal.command.KeyRefs refs) {
        remember(id, argv, refs, null);
    }

    /**
     * {@link #remember(long, byte[][], io.redjar.internal.command.KeyRefs)}, adding to
     * {@code added} (if not null) the keys that were not remembered for {@code id} yet.
     */
    synchronized void remember(long id, byte[][] argv, io.redjar.internal.command.KeyRefs refs, List<byte[]> added) {
        Long boxed = id;
        for (int i = 0; i < refs.count(); i++) {
            byte[] key = argv[refs.position(i)];
            LinkedHashSet<Long> ids = table.get(ByteBuffer.wrap(key));
            if (ids == null) {
                ids = new LinkedHashSet<>(2);
                table.put(ByteBuffer.wrap(key.clone()), ids);
                tableSize = table.size();
            }
            if (ids.add(boxed)) {
                items++;
                if (added != null) {
                    added.add(key);
                }
            }
        }
    }

    // ---- invalidating -------------------------------------------------------------------

    @Override
    public void modified(int db, byte[] key, KeyEvent event) {
        if (trackingClients == 0 || (tableSize == 0 && prefixCount == 0)) {
            return;
        }
        TrackingScope scope = TrackingScope.get();
        ClientState cur = scope.current;
        List<Delivery> out;
        synchronized (this) {
            if (!prefixes.isEmpty()) {
                // Redis's signalModifiedKey(c): no client for expiry and eviction, the script's
                // own client for a script's writes (so NOLOOP does not hide them from the caller)
                ClientState writer = event == KeyEvent.EXPIRED || event == KeyEvent.EVICTED || scope.scriptDepth > 0 ? null : cur;
                rememberForBroadcast(key, writer);
            }
            if (table.isEmpty()) {
                return;
            }
            LinkedHashSet<Long> ids = table.remove(ByteBuffer.wrap(key));
            if (ids == null) {
                return;
            }
            tableSize = table.size();
            out = new ArrayList<>(ids.size());
            collect(key, ids, scope, out);
        }
        deliver(out, null, null);
    }

    /** Redis's {@code trackingInvalidateKey} after the key left the table: who gets told, and when. */
    private void collect(byte[] key, LinkedHashSet<Long> ids, TrackingScope scope, List<Delivery> out) {
        items -= ids.size();
        ClientState cur = scope.current;
        for (Long id : ids) {
            ClientState target = clients.byId(id);
            if (target == null || !target.tracking().on() || target.tracking().bcast()) {
                continue;
            }
            if (target.tracking().noloop() && target == cur) {
                continue;
            }
            if (target == cur && scope.depth > 0) {
                if (provisional(scope, key)) {
                    continue; // remembered for the running read only: nothing cached yet
                }
                scope.pending.add(key.clone());
            } else {
                out.add(new Delivery(target, List.of(key.clone())));
            }
        }
    }

    private static boolean provisional(TrackingScope scope, byte[] key) {
        for (byte[] k : scope.provisional) {
            if (Arrays.equals(k, key)) {
                return true;
            }
        }
        return false;
    }

    private void rememberForBroadcast(byte[] key, ClientState writer) {
        for (Map.Entry<byte[], Bcast> e : prefixes.entrySet()) {
            byte[] p = e.getKey();
            if (p.length > key.length || !Arrays.equals(p, 0, p.length, key, 0, p.length)) {
                continue;
            }
            e.getValue().keys.put(key.clone(), writer);
            broadcastDue = true;
        }
    }

    @Override
    public void flushed(int db) {
        if (trackingClients == 0 && !listening) {
            return;
        }
        TrackingScope scope = TrackingScope.get();
        List<Delivery> out = new ArrayList<>();
        synchronized (this) {
            if (trackingClients > 0) {
                for (ClientState c : clients.clients()) {
                    if (!c.tracking().on()) {
                        continue;
                    }
                    if (c == scope.current) {
                        scope.pending.add(null);
                    } else {
                        out.add(new Delivery(c, null));
                    }
                }
            }
            table.clear();
            tableSize = 0;
            items = 0;
        }
        deliver(out, null, null);
    }

    /**
     * Redis's {@code trackingLimitUsedSlots}: while the table holds more than
     * {@code tracking-table-max-keys} keys, invalidates keys (100 per pass, 100 more each pass
     * that ends still over the limit). Call with no lock held.
     */
    public void limit() {
        long max = maxKeys.getAsLong();
        if (max == 0 || trackingClients == 0 || (tableSize <= max && timeoutCounter == 0)) {
            return;
        }
        TrackingScope scope = TrackingScope.get();
        List<Delivery> out = new ArrayList<>();
        synchronized (this) {
            if (table.size() <= max) {
                timeoutCounter = 0;
                return;
            }
            int effort = 100 * (timeoutCounter + 1);
            Iterator<Map.Entry<ByteBuffer, LinkedHashSet<Long>>> it = table.entrySet().iterator();
            boolean under = false;
            while (effort-- > 0 && it.hasNext()) {
                Map.Entry<ByteBuffer, LinkedHashSet<Long>> e = it.next();
                it.remove();
                tableSize = table.size();
                collect(e.getKey().array(), e.getValue(), scope, out);
                if (table.size() <= max) {
                    under = true;
                    break;
                }
            }
            timeoutCounter = under ? 0 : timeoutCounter + 1;
        }
        deliver(out, null, null);
    }

    /**
     * Redis's {@code trackingBroadcastInvalidationMessages}: sends each prefix's pending keys to
     * its clients (without the keys a NOLOOP client modified itself) and starts new batches.
     *
     * @param self     the client whose command just ended on this thread (its frames go to
     *                 {@code ownFrames}, to follow its reply), or null
     * @param ownFrames where {@code self}'s own-connection frames go, or null to write them
     */
    public void broadcast(ClientState self, List<Reply> ownFrames) {
        if (prefixCount == 0 || !broadcastDue) {
            return;
        }
        synchronized (broadcastLock) {
            List<Delivery> out = new ArrayList<>();
            synchronized (this) {
                broadcastDue = false;
                for (Bcast bs : prefixes.values()) {
                    if (bs.keys.isEmpty()) {
                        continue;
                    }
                    TreeMap<byte[], ClientState> batch = bs.keys;
                    bs.keys = new TreeMap<>(Arrays::compareUnsigned);
                    List<byte[]> all = new ArrayList<>(batch.keySet());
                    for (ClientState c : bs.clients) {
                        if (!c.tracking().noloop()) {
                            out.add(new Delivery(c, all));
                            continue;
                        }
                        List<byte[]> mine = new ArrayList<>();
                        for (Map.Entry<byte[], ClientState> e : batch.entrySet()) {
                            if (e.getValue() != c) {
                                mine.add(e.getKey());
                            }
                        }
                        if (!mine.isEmpty()) {
                            out.add(new Delivery(c, mine));
                        }
                    }
                }
            }
            deliver(out, self, ownFrames);
        }
    }

    /**
     * After a top-level command of {@code c} on this thread: its held-back invalidations
     * (Redis's {@code trackingHandlePendingKeyInvalidations}), then the BCAST batches.
     *
     * @param ownFrames receives the frames for {@code c}'s own connection, to follow its reply
     */
    public void afterCommand(ClientState c, List<Reply> ownFrames) {
        TrackingScope scope = TrackingScope.get();
        if (!scope.pending.isEmpty()) {
            List<Delivery> out = new ArrayList<>(scope.pending.size());
            for (byte[] k : scope.pending) {
                out.add(new Delivery(c, k == null ? null : List.of(k)));
            }
            scope.pending.clear();
            deliver(out, c, ownFrames);
        }
        broadcast(c, ownFrames);
        flushPost(scope);
    }

    private void flushPost(TrackingScope scope) {
        if (scope.post.isEmpty()) {
            return;
        }
        List<Object[]> p = new ArrayList<>(scope.post);
        scope.post.clear();
        for (Object[] f : p) {
            writeNow((ClientState) f[0], (byte[]) f[1]);
        }
    }

    /** Enters a top-level command of {@code c} on this thread (Redis: {@code current_client}). */
    public void enter(ClientState c) {
        TrackingScope scope = TrackingScope.get();
        scope.current = c;
        scope.pending.clear();
    }

    /** Leaves the top-level command entered last on this thread. */
    public void exit() {
        TrackingScope scope = TrackingScope.get();
        flushPost(scope);
        scope.current = null;
        scope.pending.clear();
    }

    private void deliver(List<Delivery> out, ClientState self, List<Reply> ownFrames) {
        for (Delivery d : out) {
            send(d.target, d.keys, self, ownFrames);
        }
    }

    /** Redis's {@code sendTrackingMessage}. */
    private void send(ClientState c, List<byte[]> keys, ClientState self, List<Reply> ownFrames) {
        ClientTracking t = c.tracking();
        long redirect = t.redirect();
        ClientState dest = c;
        boolean viaRedirect = false;
        if (redirect != 0) {
            ClientState r = clients.byId(redirect);
            if (r == null || r.isClosing()) {
                t.brokenRedirect(true);
                if (c.protocol() == 3) {
                    emit(c, InvalidationFrames.redirectBroken(redirect), self, ownFrames);
                }
                return;
            }
            dest = r;
            viaRedirect = true;
        }
        if (dest.protocol() == 3) {
            emit(dest, InvalidationFrames.push(keys, c.protocol()), self, ownFrames);
        } else if (viaRedirect && dest.pubsubMode()) {
            write(dest, InvalidationFrames.message(keys, c.protocol()));
        }
    }

    private void emit(ClientState dest, InvalidationFrames.Frame f, ClientState self, List<Reply> ownFrames) {
        if (ownFrames != null && dest == self) {
            ownFrames.add(f.reply());
        } else {
            write(dest, f.bytes());
        }
    }

    private void write(ClientState dest, byte[] frame) {
        if (dest.tracking().awaitingReply()) {
            TrackingScope scope = TrackingScope.get();
            if (scope.current != null) {
                // a command on this thread may be serving dest's blocked command: its reply first
                scope.post.add(new Object[] {dest, frame});
                return;
            }
        }
        writeNow(dest, frame);
    }

    private void writeNow(ClientState dest, byte[] frame) {
        ClientSubscriber s = subscribers.apply(dest);
        if (s != null) {
            s.sendFrame(frame);
        } else if (dest.peer() != null) {
            dest.peer().send(frame);
        }
    }

    // ---- INFO ---------------------------------------------------------------------------

    @Override
    public long trackingClients() {
        return trackingClients;
    }

    @Override
    public long trackingKeys() {
        return tableSize;
    }

    @Override
    public synchronized long trackingItems() {
        return items;
    }

    @Override
    public long trackingPrefixes() {
        return prefixCount;
    }
}
