package io.redjar;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * An on-heap model of Redis 7.0's string and generic key commands: it generates random commands
 * over a small key space and computes the reply Redis would give, updating its own state.
 *
 * <p>Like Redis (and RedJar), the model keeps expired keys until something looks them up: every
 * command that looks a key up deletes it if its time has passed, so {@code DBSIZE} counts expired
 * keys nobody touched. {@link #dbs} therefore holds expired entries too.
 *
 * <p>Strings are bytes seen through ISO-8859-1 (one char per byte); every argument is sent that
 * way ({@link #argv}).
 */
final class StringKeyModel {
    static final String NOT_INT = "ERR value is not an integer or out of range";
    static final String DB_RANGE = "ERR DB index is out of range";
    static final String SAME = "ERR source and destination objects are the same";

    static final String[] KEYS = {"a", "b", "c", "d", "e", "{t}x", "{t}y", "{t}z"};

    /** One key's value and absolute expire time (0: none). */
    record Entry(String value, long expireAt) {
        boolean expiredAt(long now) {
            return expireAt != 0 && expireAt <= now;
        }
    }

    /** A command and the reply Redis gives. */
    record Command(String[] args, Reply expected) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (String a : args) {
                sb.append(sb.length() == 0 ? "" : " ").append(a.length() > 40 ? a.substring(0, 20) + "...(" + a.length() + ")" : a);
            }
            return sb.toString().replace("\0", "\\0");
        }
    }

    final List<Map<String, Entry>> dbs = new ArrayList<>();
    final ManualClock clock;
    final Random rnd;
    int cur;

    StringKeyModel(Random rnd, ManualClock clock, int databases) {
        this.rnd = rnd;
        this.clock = clock;
        for (int i = 0; i < databases; i++) {
            dbs.add(new HashMap<>());
        }
    }

    static byte[][] argv(String[] args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return a;
    }

    static Reply bulk(String s) {
        return s == null ? Reply.NULL : new Reply.Bulk(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    long now() {
        return clock.millis();
    }

    Map<String, Entry> db() {
        return dbs.get(cur);
    }

    /** Redis's lookupKey: an expired key is deleted and reported missing. */
    Entry lookup(int db, String key) {
        Entry e = dbs.get(db).get(key);
        if (e != null && e.expiredAt(now())) {
            dbs.get(db).remove(key);
            return null;
        }
        return e;
    }

    Entry lookup(String key) {
        return lookup(cur, key);
    }

    /** @return the keys of {@code db} that have not expired, sorted */
    TreeSet<String> liveKeys(int db) {
        TreeSet<String> out = new TreeSet<>();
        dbs.get(db).forEach((k, e) -> {
            if (!e.expiredAt(now())) {
                out.add(k);
            }
        });
        return out;
    }

    // ---- generation --------------------------------------------------------------------

    String key() {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    String value() {
        int r = rnd.nextInt(100);
        if (r < 30) {
            return Integer.toString(rnd.nextInt(2001) - 1000);
        }
        if (r < 33) {
            return Long.toString(Long.MAX_VALUE - rnd.nextInt(5));
        }
        if (r < 35) {
            return rnd.nextBoolean() ? "007" : "-0";
        }
        if (r < 37) {
            return "";
        }
        if (r < 47) {
            return text(120 + rnd.nextInt(16)); // around the 127/128 varint boundary
        }
        if (r < 48) {
            return text(16380 + rnd.nextInt(8)); // around 16383/16384
        }
        return text(1 + rnd.nextInt(10));
    }

    String text(int len) {
        char[] c = new char[len];
        for (int i = 0; i < len; i++) {
            c[i] = (char) ('a' + rnd.nextInt(26));
        }
        return new String(c);
    }

    private static String[] args(List<String> a) {
        return a.toArray(new String[0]);
    }

    /** @return a random command with the reply Redis would give, the model updated */
    Command next() {
        int r = rnd.nextInt(1000);
        if (r < 130) {
            return set();
        }
        if (r < 200) {
            return simple("GET");
        }
        if (r < 230) {
            return simple("GETDEL");
        }
        if (r < 280) {
            return getex();
        }
        if (r < 320) {
            return append();
        }
        if (r < 350) {
            return setrange();
        }
        if (r < 380) {
            return getrange();
        }
        if (r < 400) {
            return simple("STRLEN");
        }
        if (r < 470) {
            return counter();
        }
        if (r < 500) {
            return mset(false);
        }
        if (r < 515) {
            return mset(true);
        }
        if (r < 540) {
            return mget();
        }
        if (r < 570) {
            return del();
        }
        if (r < 590) {
            return exists();
        }
        if (r < 600) {
            return simple("TYPE");
        }
        if (r < 630) {
            return rename(rnd.nextBoolean());
        }
        if (r < 655) {
            return copy();
        }
        if (r < 675) {
            return move();
        }
        if (r < 700) {
            return select();
        }
        if (r < 710) {
            return swapdb();
        }
        if (r < 800) {
            return expire();
        }
        if (r < 850) {
            return simple(rnd.nextBoolean() ? "TTL" : "PTTL");
        }
        if (r < 870) {
            return simple("PERSIST");
        }
        if (r < 874) {
            db().clear();
            return new Command(new String[] {"FLUSHDB"}, Reply.OK);
        }
        if (r < 900) {
            return new Command(new String[] {"DBSIZE"}, Reply.integer(db().size()));
        }
        return r < 950 ? set() : simple("GET");
    }

    private Command simple(String name) {
        String k = key();
        Entry e = lookup(k);
        Reply want;
        switch (name) {
            case "GET":
                want = bulk(e == null ? null : e.value);
                break;
            case "GETDEL":
                want = bulk(e == null ? null : e.value);
                db().remove(k);
                break;
            case "STRLEN":
                want = Reply.integer(e == null ? 0 : e.value.length());
                break;
            case "TYPE":
                want = new Reply.SimpleString(e == null ? "none" : "string");
                break;
            case "TTL":
            case "PTTL": {
                if (e == null) {
                    want = Reply.integer(-2);
                } else if (e.expireAt == 0) {
                    want = Reply.integer(-1);
                } else {
                    long ttl = e.expireAt - now();
                    want = Reply.integer(name.equals("PTTL") ? ttl : (ttl + 500) / 1000);
                }
                break;
            }
            case "PERSIST":
                if (e == null || e.expireAt == 0) {
                    want = Reply.ZERO;
                } else {
                    db().put(k, new Entry(e.value, 0));
                    want = Reply.ONE;
                }
                break;
            default:
                throw new IllegalArgumentException(name);
        }
        return new Command(new String[] {name, k}, want);
    }

    /** An expire option's argument: mostly valid, sometimes zero or negative. */
    private long expireAmount(String kind) {
        int r = rnd.nextInt(20);
        switch (kind) {
            case "EX":
                return r == 0 ? -rnd.nextInt(2) : 1 + rnd.nextInt(5);
            case "PX":
                return r == 0 ? -rnd.nextInt(2) : 1 + rnd.nextInt(5000);
            case "EXAT":
                return r == 0 ? -rnd.nextInt(2) : now() / 1000 - 3 + rnd.nextInt(9);
            case "PXAT":
                return r == 0 ? -rnd.nextInt(2) : now() - 3000 + rnd.nextInt(9000);
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    /** Redis's getExpireMillisecondsOrReply: null when the value is invalid. */
    private Long absolute(String kind, long v) {
        if (v <= 0) {
            return null;
        }
        boolean seconds = kind.equals("EX") || kind.equals("EXAT");
        long ms = seconds ? v * 1000 : v;
        if (kind.equals("EX") || kind.equals("PX")) {
            ms += now();
        }
        return ms;
    }

    private Command set() {
        String k = key();
        String v = value();
        List<List<String>> opts = new ArrayList<>();
        int cond = rnd.nextInt(5); // 0-2 none, 3 NX, 4 XX
        if (cond == 3) {
            opts.add(List.of(rnd.nextBoolean() ? "NX" : "nx"));
        } else if (cond == 4) {
            opts.add(List.of("XX"));
        }
        boolean get = rnd.nextInt(3) == 0;
        if (get) {
            opts.add(List.of("GET"));
        }
        String[] kinds = {"NONE", "NONE", "KEEPTTL", "EX", "PX", "EXAT", "PXAT"};
        String kind = kinds[rnd.nextInt(kinds.length)];
        long amount = 0;
        if (kind.equals("KEEPTTL")) {
            opts.add(List.of("KEEPTTL"));
        } else if (!kind.equals("NONE")) {
            amount = expireAmount(kind);
            opts.add(List.of(kind, Long.toString(amount)));
        }
        Collections.shuffle(opts, rnd);
        List<String> a = new ArrayList<>(List.of("SET", k, v));
        opts.forEach(a::addAll);
        String[] argv = args(a);

        Long at = null;
        if (!kind.equals("NONE") && !kind.equals("KEEPTTL")) {
            at = absolute(kind, amount);
            if (at == null) {
                return new Command(argv, Reply.error("ERR invalid expire time in 'set' command"));
            }
        }
        Entry old = lookup(k);
        String oldValue = old == null ? null : old.value;
        if ((cond == 3 && old != null) || (cond == 4 && old == null)) {
            return new Command(argv, get ? bulk(oldValue) : Reply.NULL);
        }
        long expireAt = kind.equals("KEEPTTL") ? (old == null ? 0 : old.expireAt) : at == null ? 0 : at;
        db().put(k, new Entry(v, expireAt));
        return new Command(argv, get ? bulk(oldValue) : Reply.OK);
    }

    private Command getex() {
        String k = key();
        int r = rnd.nextInt(10);
        String kind = r < 3 ? "NONE" : r < 5 ? "PERSIST" : new String[] {"EX", "PX", "EXAT", "PXAT"}[rnd.nextInt(4)];
        List<String> a = new ArrayList<>(List.of("GETEX", k));
        long amount = 0;
        if (kind.equals("PERSIST")) {
            a.add("PERSIST");
        } else if (!kind.equals("NONE")) {
            amount = expireAmount(kind);
            a.add(kind);
            a.add(Long.toString(amount));
        }
        String[] argv = args(a);
        Entry e = lookup(k);
        if (e == null) {
            return new Command(argv, Reply.NULL);
        }
        if (kind.equals("NONE")) {
            return new Command(argv, bulk(e.value));
        }
        if (kind.equals("PERSIST")) {
            db().put(k, new Entry(e.value, 0));
            return new Command(argv, bulk(e.value));
        }
        Long at = absolute(kind, amount);
        if (at == null) {
            return new Command(argv, Reply.error("ERR invalid expire time in 'getex' command"));
        }
        if ((kind.equals("EXAT") || kind.equals("PXAT")) && at <= now()) {
            db().remove(k);
        } else {
            db().put(k, new Entry(e.value, at));
        }
        return new Command(argv, bulk(e.value));
    }

    private Command append() {
        String k = key();
        String v = rnd.nextInt(4) == 0 ? text(1 + rnd.nextInt(3)) : value();
        Entry e = lookup(k);
        String nv = e == null ? v : e.value + v;
        db().put(k, new Entry(nv, e == null ? 0 : e.expireAt));
        return new Command(new String[] {"APPEND", k, v}, Reply.integer(nv.length()));
    }

    private Command setrange() {
        String k = key();
        long off = rnd.nextInt(10) == 0 ? 100 + rnd.nextInt(40) : rnd.nextInt(20);
        String v = rnd.nextInt(8) == 0 ? "" : text(1 + rnd.nextInt(6));
        if (rnd.nextInt(40) == 0) {
            return new Command(new String[] {"SETRANGE", k, "-1", v}, Reply.error("ERR offset is out of range"));
        }
        String[] argv = {"SETRANGE", k, Long.toString(off), v};
        Entry e = lookup(k);
        if (e == null) {
            if (v.isEmpty()) {
                return new Command(argv, Reply.ZERO);
            }
            String nv = "\0".repeat((int) off) + v;
            db().put(k, new Entry(nv, 0));
            return new Command(argv, Reply.integer(nv.length()));
        }
        if (v.isEmpty()) {
            return new Command(argv, Reply.integer(e.value.length()));
        }
        StringBuilder sb = new StringBuilder(e.value);
        while (sb.length() < off) {
            sb.append('\0');
        }
        for (int i = 0; i < v.length(); i++) {
            int p = (int) off + i;
            if (p < sb.length()) {
                sb.setCharAt(p, v.charAt(i));
            } else {
                sb.append(v.charAt(i));
            }
        }
        db().put(k, new Entry(sb.toString(), e.expireAt));
        return new Command(argv, Reply.integer(sb.length()));
    }

    private Command getrange() {
        String k = key();
        long start = rnd.nextInt(10) == 0 ? rnd.nextLong() : rnd.nextInt(30) - 15;
        long end = rnd.nextInt(10) == 0 ? rnd.nextLong() : rnd.nextInt(30) - 15;
        String[] argv = {rnd.nextInt(5) == 0 ? "SUBSTR" : "GETRANGE", k, Long.toString(start), Long.toString(end)};
        Entry e = lookup(k);
        if (e == null) {
            return new Command(argv, bulk(""));
        }
        long len = e.value.length();
        if (start < 0 && end < 0 && start > end) {
            return new Command(argv, bulk(""));
        }
        if (start < 0) {
            start = len + start;
        }
        if (end < 0) {
            end = len + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= len) {
            end = len - 1;
        }
        if (start > end || len == 0) {
            return new Command(argv, bulk(""));
        }
        return new Command(argv, bulk(e.value.substring((int) start, (int) end + 1)));
    }

    /** Redis's string2ll. */
    static boolean isLong(String s) {
        if (s.isEmpty() || s.length() > 20) {
            return false;
        }
        if (s.equals("0")) {
            return true;
        }
        if (!s.matches("-?[1-9][0-9]*")) {
            return false;
        }
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private Command counter() {
        String k = key();
        int r = rnd.nextInt(4);
        String[] argv;
        long delta;
        int odd = rnd.nextInt(30);
        String arg = odd == 0 ? "abc" : odd == 1 ? Long.toString(Long.MIN_VALUE) : odd == 2 ? Long.toString(Long.MAX_VALUE)
            : Integer.toString(rnd.nextInt(201) - 100);
        switch (r) {
            case 0:
                argv = new String[] {"INCR", k};
                delta = 1;
                break;
            case 1:
                argv = new String[] {"DECR", k};
                delta = -1;
                break;
            case 2:
                argv = new String[] {"INCRBY", k, arg};
                if (!isLong(arg)) {
                    return new Command(argv, Reply.error(NOT_INT));
                }
                delta = Long.parseLong(arg);
                break;
            default:
                argv = new String[] {"DECRBY", k, arg};
                if (!isLong(arg)) {
                    return new Command(argv, Reply.error(NOT_INT));
                }
                if (Long.parseLong(arg) == Long.MIN_VALUE) {
                    return new Command(argv, Reply.error("ERR decrement would overflow"));
                }
                delta = -Long.parseLong(arg);
        }
        Entry e = lookup(k);
        long value = 0;
        if (e != null) {
            if (!isLong(e.value)) {
                return new Command(argv, Reply.error(NOT_INT));
            }
            value = Long.parseLong(e.value);
        }
        long result;
        try {
            result = Math.addExact(value, delta);
        } catch (ArithmeticException overflow) {
            return new Command(argv, Reply.error("ERR increment or decrement would overflow"));
        }
        db().put(k, new Entry(Long.toString(result), e == null ? 0 : e.expireAt));
        return new Command(argv, Reply.integer(result));
    }

    private Command mset(boolean nx) {
        int pairs = 1 + rnd.nextInt(4);
        List<String> a = new ArrayList<>(List.of(nx ? "MSETNX" : "MSET"));
        for (int i = 0; i < pairs; i++) {
            a.add(key());
            a.add(value());
        }
        String[] argv = args(a);
        if (nx) {
            for (int i = 1; i < argv.length; i += 2) {
                if (lookup(argv[i]) != null) {
                    return new Command(argv, Reply.ZERO);
                }
            }
        }
        for (int i = 1; i < argv.length; i += 2) {
            lookup(argv[i]);
            db().put(argv[i], new Entry(argv[i + 1], 0));
        }
        return new Command(argv, nx ? Reply.ONE : Reply.OK);
    }

    private String[] someKeys(String name) {
        int n = 1 + rnd.nextInt(4);
        String[] argv = new String[n + 1];
        argv[0] = name;
        for (int i = 1; i <= n; i++) {
            argv[i] = key();
        }
        return argv;
    }

    private Command mget() {
        String[] argv = someKeys("MGET");
        List<Reply> out = new ArrayList<>();
        for (int i = 1; i < argv.length; i++) {
            Entry e = lookup(argv[i]);
            out.add(bulk(e == null ? null : e.value));
        }
        return new Command(argv, Reply.array(out));
    }

    private Command del() {
        String[] argv = someKeys(rnd.nextBoolean() ? "DEL" : "UNLINK");
        long n = 0;
        for (int i = 1; i < argv.length; i++) {
            if (lookup(argv[i]) != null) {
                db().remove(argv[i]);
                n++;
            }
        }
        return new Command(argv, Reply.integer(n));
    }

    private Command exists() {
        String[] argv = someKeys("EXISTS");
        long n = 0;
        for (int i = 1; i < argv.length; i++) {
            if (lookup(argv[i]) != null) {
                n++;
            }
        }
        return new Command(argv, Reply.integer(n));
    }

    private Command rename(boolean nx) {
        String s = key();
        String d = rnd.nextInt(10) == 0 ? s : key();
        String[] argv = {nx ? "RENAMENX" : "RENAME", s, d};
        Entry e = lookup(s);
        if (e == null) {
            return new Command(argv, Reply.error("ERR no such key"));
        }
        if (s.equals(d)) {
            return new Command(argv, nx ? Reply.ZERO : Reply.OK);
        }
        Entry old = lookup(d);
        if (nx && old != null) {
            return new Command(argv, Reply.ZERO);
        }
        db().put(d, e);
        db().remove(s);
        return new Command(argv, nx ? Reply.ONE : Reply.OK);
    }

    private int dbArg() {
        return rnd.nextInt(25) == 0 ? dbs.size() : rnd.nextInt(dbs.size());
    }

    private Command copy() {
        String s = key();
        String d = key();
        List<List<String>> opts = new ArrayList<>();
        int dstDb = cur;
        boolean replace = rnd.nextBoolean();
        if (replace) {
            opts.add(List.of("REPLACE"));
        }
        if (rnd.nextBoolean()) {
            dstDb = dbArg();
            opts.add(List.of("DB", Integer.toString(dstDb)));
        }
        Collections.shuffle(opts, rnd);
        List<String> a = new ArrayList<>(List.of("COPY", s, d));
        opts.forEach(a::addAll);
        String[] argv = args(a);
        if (dstDb >= dbs.size()) {
            return new Command(argv, Reply.error(DB_RANGE));
        }
        if (dstDb == cur && s.equals(d)) {
            return new Command(argv, Reply.error(SAME));
        }
        Entry e = lookup(s);
        if (e == null) {
            return new Command(argv, Reply.ZERO);
        }
        if (lookup(dstDb, d) != null && !replace) {
            return new Command(argv, Reply.ZERO);
        }
        dbs.get(dstDb).put(d, e);
        return new Command(argv, Reply.ONE);
    }

    private Command move() {
        String k = key();
        int dst = dbArg();
        String[] argv = {"MOVE", k, Integer.toString(dst)};
        if (dst >= dbs.size()) {
            return new Command(argv, Reply.error(DB_RANGE));
        }
        if (dst == cur) {
            return new Command(argv, Reply.error(SAME));
        }
        Entry e = lookup(k);
        if (e == null) {
            return new Command(argv, Reply.ZERO);
        }
        if (lookup(dst, k) != null) {
            return new Command(argv, Reply.ZERO);
        }
        dbs.get(dst).put(k, e);
        db().remove(k);
        return new Command(argv, Reply.ONE);
    }

    private Command select() {
        int db = dbArg();
        String[] argv = {"SELECT", Integer.toString(db)};
        if (db >= dbs.size()) {
            return new Command(argv, Reply.error(DB_RANGE));
        }
        cur = db;
        return new Command(argv, Reply.OK);
    }

    private Command swapdb() {
        int x = rnd.nextInt(dbs.size());
        int y = rnd.nextInt(dbs.size());
        Collections.swap(dbs, x, y);
        return new Command(new String[] {"SWAPDB", Integer.toString(x), Integer.toString(y)}, Reply.OK);
    }

    private Command expire() {
        String[] names = {"EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"};
        int which = rnd.nextInt(4);
        boolean seconds = which == 0 || which == 2;
        boolean relative = which < 2;
        long amount;
        if (relative) {
            amount = seconds ? rnd.nextInt(9) - 2 : rnd.nextInt(7000) - 1000;
        } else {
            amount = seconds ? now() / 1000 + rnd.nextInt(10) - 3 : now() + rnd.nextInt(9000) - 3000;
        }
        String k = key();
        List<String> a = new ArrayList<>(List.of(names[which], k, Long.toString(amount)));
        int f = rnd.nextInt(20);
        int flags = 0;
        String[] single = {"NX", "XX", "GT", "LT"};
        if (f < 8) {
            a.add(single[f % 4]);
            flags = 1 << (f % 4);
        } else if (f == 8) {
            a.addAll(List.of("XX", "GT"));
            flags = 2 | 4;
        } else if (f == 9) {
            a.addAll(List.of("LT", "XX"));
            flags = 2 | 8;
        } else if (f == 10) {
            a.addAll(List.of("NX", rnd.nextBoolean() ? "XX" : "GT"));
            return new Command(args(a), Reply.error("ERR NX and XX, GT or LT options at the same time are not compatible"));
        } else if (f == 11) {
            a.addAll(List.of("GT", "LT"));
            return new Command(args(a), Reply.error("ERR GT and LT options at the same time are not compatible"));
        }
        String[] argv = args(a);
        long when = (seconds ? amount * 1000 : amount) + (relative ? now() : 0);
        Entry e = lookup(k);
        if (e == null) {
            return new Command(argv, Reply.ZERO);
        }
        long current = e.expireAt == 0 ? -1 : e.expireAt;
        if ((flags & 1) != 0 && current != -1
            || (flags & 2) != 0 && current == -1
            || (flags & 4) != 0 && (when <= current || current == -1)
            || (flags & 8) != 0 && current != -1 && when >= current) {
            return new Command(argv, Reply.ZERO);
        }
        if (when <= now()) {
            db().remove(k);
        } else {
            db().put(k, new Entry(e.value, when));
        }
        return new Command(argv, Reply.ONE);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("db " + cur + ", now " + now());
        for (int i = 0; i < dbs.size(); i++) {
            sb.append("\n  db").append(i).append(": ");
            new java.util.TreeMap<>(dbs.get(i)).forEach((k, e) -> sb.append(k).append('=')
                .append(e.value.length() > 12 ? e.value.substring(0, 12) + "..(" + e.value.length() + ")" : e.value)
                .append(e.expireAt == 0 ? "" : "@" + e.expireAt).append(' '));
        }
        return sb.toString();
    }

    static String describe(String[] argv) {
        return Arrays.toString(argv);
    }
}
