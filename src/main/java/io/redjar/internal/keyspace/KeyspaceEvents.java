package io.redjar.internal.keyspace;

import java.util.Arrays;
import java.util.Objects;

/**
 * The registry of {@link KeyspaceListener}s a {@link Keyspace} reports to, and the fan-out.
 *
 * <p><b>Design:</b> the listeners live in a copy-on-write array read through one volatile field,
 * so a report with no listener is a volatile read and a length test (no allocation, no lock, no
 * iterator); registration is rare and copies the array. Reports come from the
 * {@link Keyspace}'s write path (see its "Write path" note): per key under its shard lock, so the
 * events of one key reach every listener in execution order; flushes and swaps under every lock.
 * A listener added while a write is in progress may or may not see that write's events.
 *
 * <p><b>Thread-safety:</b> thread-safe. {@link #add} and {@link #remove} serialise on this
 * object; reports never lock.
 */
public final class KeyspaceEvents {
    private static final KeyspaceListener[] NONE = new KeyspaceListener[0];

    private volatile KeyspaceListener[] listeners = NONE;

    /** Registers {@code l} (a listener added twice is told twice). */
    public synchronized void add(KeyspaceListener l) {
        Objects.requireNonNull(l, "listener");
        KeyspaceListener[] a = listeners;
        KeyspaceListener[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = l;
        listeners = b;
    }

    /**
     * Unregisters one registration of {@code l}.
     *
     * @return whether it was registered
     */
    public synchronized boolean remove(KeyspaceListener l) {
        KeyspaceListener[] a = listeners;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == l) {
                KeyspaceListener[] b = new KeyspaceListener[a.length - 1];
                System.arraycopy(a, 0, b, 0, i);
                System.arraycopy(a, i + 1, b, i, a.length - i - 1);
                listeners = b.length == 0 ? NONE : b;
                return true;
            }
        }
        return false;
    }

    /** @return whether any listener is registered */
    public boolean active() {
        return listeners.length != 0;
    }

    /** @return how many registrations there are */
    public int size() {
        return listeners.length;
    }

    /** Reports a key change to every listener. Caller holds the key's shard lock. */
    void modified(int db, byte[] key, KeyEvent event) {
        for (KeyspaceListener l : listeners) {
            l.modified(db, key, event);
        }
    }

    /** Reports a coming flush of {@code db} (-1: every database). Caller holds every lock. */
    void flushing(int db) {
        for (KeyspaceListener l : listeners) {
            l.flushing(db);
        }
    }

    /** Reports a flush of {@code db} (-1: every database). Caller holds every lock. */
    void flushed(int db) {
        for (KeyspaceListener l : listeners) {
            l.flushed(db);
        }
    }

    /** Reports a swap of two databases. Caller holds every lock. */
    void swapped(int db1, int db2) {
        for (KeyspaceListener l : listeners) {
            l.swapped(db1, db2);
        }
    }
}
