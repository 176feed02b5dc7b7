package io.redjar.internal.acl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The ACL security log (ACL LOG): the newest entries first, at most {@code acllog-max-len}; an
 * event like one of the 10 newest entries (same reason, context, object and user, within 60
 * seconds) bumps that entry's count and moves it to the front instead of adding one (Redis's
 * {@code addACLLogEntry}).
 *
 * <p><b>Thread-safety:</b> thread-safe (synchronized; written only on refusals).
 */
public final class AclLog {
    /** Why an entry was logged, with Redis's words. */
    public enum Reason {
        COMMAND("command"), KEY("key"), CHANNEL("channel"), AUTH("auth");

        final String word;

        Reason(String word) {
            this.word = word;
        }
    }

    /** Where the refused call came from, with Redis's words. */
    public enum Context {
        TOPLEVEL("toplevel"), MULTI("multi"), LUA("lua");

        final String word;

        Context(String word) {
            this.word = word;
        }
    }

    /** One entry; mutable only under the log's lock. */
    static final class Entry {
        long count = 1;
        final Reason reason;
        final Context context;
        final String object;
        final String username;
        long ctime;
        String clientInfo;

        Entry(Reason reason, Context context, String object, String username, long ctime, String clientInfo) {
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.ctime = ctime;
            this.clientInfo = clientInfo;
        }
    }

    private static final long GROUPING_MILLIS = 60_000;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final LongSupplier maxLen;
    private final LongSupplier clock;

    AclLog(LongSupplier maxLen, LongSupplier clock) {
        this.maxLen = maxLen;
        this.clock = clock;
    }

    synchronized void add(Reason reason, Context context, String object, String username, String clientInfo) {
        long now = clock.getAsLong();
        int toscan = 10;
        Iterator<Entry> it = entries.iterator();
        while (toscan-- > 0 && it.hasNext()) {
            Entry e = it.next();
            if (e.reason == reason && e.context == context && Math.abs(e.ctime - now) <= GROUPING_MILLIS
                && e.object.equals(object) && e.username.equals(username)) {
                it.remove();
                e.clientInfo = clientInfo;
                e.ctime = now;
                e.count++;
                entries.addFirst(e);
                return;
            }
        }
        entries.addFirst(new Entry(reason, context, object, username, now, clientInfo));
        while (entries.size() > maxLen.getAsLong()) {
            entries.removeLast();
        }
    }

    synchronized void reset() {
        entries.clear();
    }

    /** @return a copy of the newest {@code count} entries' fields: count, reason, context, object, user, age (ms), client info */
    synchronized List<Object[]> newest(long count) {
        long now = clock.getAsLong();
        List<Object[]> out = new ArrayList<>();
        for (Entry e : entries) {
            if (out.size() >= count) {
                break;
            }
            out.add(new Object[] {e.count, e.reason.word, e.context.word, e.object, e.username, now - e.ctime, e.clientInfo});
        }
        return out;
    }

    /** @return the number of entries */
    public synchronized int size() {
        return entries.size();
    }
}
