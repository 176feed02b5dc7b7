package io.redjar.internal.tx;

import io.redjar.internal.command.TxState;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.KeyspaceListener;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * WATCH: which clients watch which (db, key), fed by the key-event signal (Redis's
 * {@code watched_keys} dicts and {@code touchWatchedKey} / {@code touchAllWatchedKeysInDb} /
 * {@code isWatchedKeyExpired} in {@code multi.c}). Every write to a watched key marks its
 * watchers' transactions touched ({@link TxState#touched()}), so their EXEC answers a null array.
 *
 * <p>Redis's rule for keys already expired (but not yet deleted) when WATCH was called is kept: such
 * a watch carries an {@code expired} mark; the key's deletion (lazy or active expiry, a flush)
 * then is no logical change and only clears the mark; and at EXEC a watched key that has expired
 * since WATCH counts as modified ({@link #anyExpired}).
 *
 * <p>FLUSHDB/FLUSHALL touch only watched keys that existed ({@link #flushing}, before the keys
 * go); SWAPDB touches watched keys present in either database ({@link #swapped}, after the swap,
 * reading each database's old contents from the other one).
 *
 * <p><b>Thread-safety:</b> thread-safe. Listener calls come from writers under the key's shard
 * lock (every lock for flush/swap); all state is guarded by this registry's monitor, always taken
 * innermost (after any shard lock, never the other way round). When nobody watches, a write costs
 * one volatile read; until the first WATCH the registry is not even registered as a listener.
 */
public final class WatchRegistry implements KeyspaceListener, TxState.Watches {
    /** One client's watch of one key. */
    private static final class Watch {
        final TxState client;
        final int db;
        final ByteBuffer key;
        boolean expired;

        Watch(TxState client, int db, ByteBuffer key, boolean expired) {
            this.client = client;
            this.db = db;
            this.key = key;
            this.expired = expired;
        }
    }

    private final Keyspace ks;
    /** Per database: key -> the watches of it, in WATCH order. */
    private final List<Map<ByteBuffer, List<Watch>>> byDb = new ArrayList<>();
    /** Number of watches (volatile: the writers' fast path). */
    private volatile int count;
    /** Whether this registry listens to the keyspace yet: it starts to with the first WATCH. */
    private boolean listening;

    public WatchRegistry(Keyspace ks) {
        this.ks = ks;
        for (int i = 0; i < ks.databases(); i++) {
            byDb.add(new HashMap<>());
        }
    }

    /**
     * WATCH {@code key} in {@code db} for {@code tx} (nothing if it already watches it). Caller
     * holds the key's shard lock.
     */
    public synchronized void watch(TxState tx, int db, byte[] key) {
        if (!listening) {
            // under the key's shard lock: every later write of it, or flush, sees the listener
            ks.events().add(this);
            listening = true;
        }
        ByteBuffer k = ByteBuffer.wrap(key.clone());
        for (Object o : tx.watched()) {
            Watch w = (Watch) o;
            if (w.db == db && w.key.equals(k)) {
                return;
            }
        }
        Watch w = new Watch(tx, db, k, ks.peek(db, key) == 1);
        byDb.get(db).computeIfAbsent(k, x -> new ArrayList<>()).add(w);
        tx.watched().add(w);
        count++;
    }

    @Override
    public synchronized void unwatchAll(TxState tx) {
        List<Object> mine = tx.watched();
        for (Object o : mine) {
            Watch w = (Watch) o;
            Map<ByteBuffer, List<Watch>> m = byDb.get(w.db);
            List<Watch> l = m.get(w.key);
            if (l != null) {
                l.remove(w);
                if (l.isEmpty()) {
                    m.remove(w.key);
                }
            }
            count--;
        }
        mine.clear();
    }

    /**
     * Redis's {@code isWatchedKeyExpired}: whether a key {@code tx} watches has expired since it
     * was watched. Caller holds every shard lock (EXEC).
     */
    public synchronized boolean anyExpired(TxState tx) {
        for (Object o : tx.watched()) {
            Watch w = (Watch) o;
            if (!w.expired && ks.peek(w.db, bytes(w.key)) == 1) {
                return true;
            }
        }
        return false;
    }

    /** @return how many (client, key) watches there are */
    public int size() {
        return count;
    }

    @Override
    public void modified(int db, byte[] key, KeyEvent event) {
        if (count == 0) {
            return;
        }
        touch(db, key);
    }

    private synchronized void touch(int db, byte[] key) {
        List<Watch> l = byDb.get(db).get(ByteBuffer.wrap(key));
        if (l == null) {
            return;
        }
        for (Watch w : new ArrayList<>(l)) {
            if (w.expired) {
                if (ks.peek(db, key) == -1) {
                    w.expired = false; // the already expired key is now deleted: no logical change
                    continue;
                }
                break; // as Redis's touchWatchedKey does
            }
            w.client.touched();
            unwatchAll(w.client); // no need to hear about this client again
        }
    }

    @Override
    public void flushing(int db) {
        if (count == 0) {
            return;
        }
        synchronized (this) {
            for (int d = 0; d < byDb.size(); d++) {
                if (db < 0 || d == db) {
                    touchAll(d, -1);
                }
            }
        }
    }

    @Override
    public void swapped(int db1, int db2) {
        if (count == 0) {
            return;
        }
        synchronized (this) {
            // after the swap, db1's old contents are in db2 and the other way round
            touchAll(db1, db2);
            touchAll(db2, db1);
        }
    }

    /**
     * Redis's {@code touchAllWatchedKeysInDb(emptied, replaced_with)}: the watched keys of
     * {@code db}, whose old contents are now in database {@code oldIn} (for a flush, {@code -1}:
     * nothing replaced them; {@code db} itself still holds them) and whose new contents are in
     * {@code db} (a swap) or nothing (a flush).
     */
    private void touchAll(int db, int oldIn) {
        boolean swap = oldIn >= 0;
        for (Map.Entry<ByteBuffer, List<Watch>> e : byDb.get(db).entrySet()) {
            byte[] key = bytes(e.getKey());
            boolean existedInEmptied = ks.peek(swap ? oldIn : db, key) != -1;
            int replaced = swap ? ks.peek(db, key) : -1;
            if (!existedInEmptied && replaced == -1) {
                continue;
            }
            for (Watch w : e.getValue()) {
                if (w.expired) {
                    if (replaced == -1) {
                        w.expired = false; // expired key now deleted: no logical change
                        continue;
                    } else if (replaced == 1) {
                        continue; // expired key remains expired
                    }
                } else if (!existedInEmptied && replaced == 1) {
                    w.expired = true; // a missing key replaced with an expired one
                    continue;
                }
                w.client.touched();
            }
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        return b.array();
    }
}
