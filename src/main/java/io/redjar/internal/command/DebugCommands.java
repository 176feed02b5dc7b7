package io.redjar.internal.command;

import io.redjar.ErrorPrefix;
import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.util.Numbers;

import static io.redjar.internal.command.CommandFlag.ADMIN;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.NOSCRIPT;
import static io.redjar.internal.command.CommandFlag.STALE;

/**
 * The DEBUG subset RedJar has: SLEEP, SET-ACTIVE-EXPIRE, PAUSE-CRON, OBJECT, RELOAD (through the store's
 * persistence), HELP. Everything else (JMAP, DIGEST, ...) gets Redis's unknown-subcommand error.
 *
 * <p>DEBUG OBJECT differs from Redis in two fields: {@code Value at} is {@code 0x0} (values have
 * no object address off-heap) and {@code serializedlength} is what RDB's string encoding would
 * take (integer or length-prefixed string, without LZF compression).
 */
public final class DebugCommands {
    private static final String[] HELP = {
        "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "OBJECT <key>",
        "    Show low level info about the `key` and associated value.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys in background when they are not",
        "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
        "    default.",
        "POPULATE <count> [<prefix>] [<size>]",
        "    Create <count> string keys named key:<num>. If <prefix> is specified then",
        "    it is used instead of the 'key' prefix. These are not propagated to",
        "    replicas. Cluster slots are not respected so keys not belonging to the",
        "    current node can be created in cluster mode.",
        "PAUSE-CRON <0|1>",
        "    Stop periodic cron job processing.",
        "RELOAD [option ...]",
        "    Save the RDB on disk and reload it back to memory. Available options:",
        "    * MERGE: Merge the content of the RDB instead of flushing the current DB.",
        "    * NOFLUSH: Do not flush the current DB.",
        "    * NOSAVE: Don't save the RDB to disk, just reload it.",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
        "HELP",
        "    Prints this help.",
    };

    private DebugCommands() {
    }

    /** Adds DEBUG to {@code t}. */
    public static void register(CommandTable t) {
        t.add("debug", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE).doc("server", "A container for debugging commands")
            .handler(DebugCommands::debug);
    }

    private static Reply debug(ExecContext c, byte[][] a) {
        if (a.length == 2 && Args.is(a[1], "help")) {
            return IntrospectionCommands.help(HELP);
        }
        if (a.length == 3 && Args.is(a[1], "sleep")) {
            double secs = strtod(Args.str(a[2]));
            long micros = (long) (secs * 1_000_000);
            if (micros > 0) {
                try {
                    Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Reply.OK;
        }
        if (a.length == 3 && Args.is(a[1], "pause-cron")) {
            c.engine().pauseCron(atoi(Args.str(a[2])) != 0);
            return Reply.OK;
        }
        if (a.length == 3 && Args.is(a[1], "set-active-expire")) {
            c.engine().activeExpire(atoi(Args.str(a[2])) != 0);
            return Reply.OK;
        }
        if (Args.is(a[1], "populate") && a.length >= 3 && a.length <= 5) {
            return populate(c, a);
        }
        if (Args.is(a[1], "reload")) {
            boolean merge = false;
            boolean noflush = false;
            boolean nosave = false;
            for (int i = 2; i < a.length; i++) {
                if (Args.is(a[i], "merge")) {
                    merge = true;
                } else if (Args.is(a[i], "noflush")) {
                    noflush = true;
                } else if (Args.is(a[i], "nosave")) {
                    nosave = true;
                } else {
                    throw new RedJarException(ErrorPrefix.ERR, "DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
                }
            }
            io.redjar.internal.server.PersistenceHooks p = c.engine().server().persistence();
            String err = p == null ? "Error trying to load the RDB dump" : p.debugReload(merge, noflush, nosave);
            if (err != null) {
                throw new RedJarException(ErrorPrefix.ERR, err);
            }
            return Reply.OK;
        }
        if (a.length == 3 && Args.is(a[1], "object")) {
            return object(c, a[2]);
        }
        throw new RedJarException(ErrorPrefix.ERR, "unknown subcommand or wrong number of arguments for '" + Args.str(a[1])
            + "'. Try DEBUG HELP.");
    }

    /**
     * DEBUG POPULATE count [prefix] [size]: string keys {@code prefix:i} with values
     * {@code value:i} (padded with zero bytes or cut to {@code size}); existing keys are left
     * alone. Unlike Redis's, the keys go through SET NX, so they are propagated like any write.
     */
    private static Reply populate(ExecContext c, byte[][] a) {
        long count = Args.parseLong(a[2], "ERR value is out of range, must be positive");
        if (count < 0) {
            throw new RedJarException(ErrorPrefix.ERR, "value is out of range, must be positive");
        }
        String prefix = a.length > 3 ? Args.str(a[3]) : "key";
        long size = -1;
        if (a.length > 4) {
            size = Args.parseLong(a[4], "ERR value is out of range, must be positive");
            if (size < 0 || size > 512L * 1024 * 1024) {
                throw new RedJarException(ErrorPrefix.ERR, "value is out of range, must be positive");
            }
        }
        io.redjar.SetOptions nx = io.redjar.SetOptions.none().nx();
        for (long i = 0; i < count; i++) {
            byte[] key = (prefix + ":" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] v = ("value:" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (size >= 0) {
                v = java.util.Arrays.copyOf(v, (int) size);
            }
            c.engine().strings().set(c.db(), key, v, nx, "set");
        }
        return Reply.OK;
    }

    private static Reply object(ExecContext c, byte[] key) {
        String enc = c.engine().keys().objectEncoding(c.db(), key);
        if (enc == null) {
            throw new RedJarException(ErrorPrefix.ERR, "no such key");
        }
        long refcount = c.engine().keys().objectRefcount(c.db(), key);
        long idle = c.engine().keys().objectIdleTime(c.db(), key);
        byte[] v = c.engine().strings().get(c.db(), key);
        long len = v == null ? 0 : serializedLength(v);
        long lru = Keyspace.lruClock(c.engine().keyspace().now()) - idle;
        return new Reply.SimpleString("Value at:0x0 refcount:" + refcount + " encoding:" + enc + " serializedlength:" + len
            + " lru:" + lru + " lru_seconds_idle:" + idle);
    }

    /** RDB's string encoding size: small integers as 2, 3 or 5 bytes, otherwise length prefix plus bytes. */
    static long serializedLength(byte[] v) {
        if (v.length <= 11 && Numbers.isLong(v)) {
            long n = Numbers.parseLong(v);
            if (Long.toString(n).length() == v.length) {
                if (n >= Byte.MIN_VALUE && n <= Byte.MAX_VALUE) {
                    return 2;
                } else if (n >= Short.MIN_VALUE && n <= Short.MAX_VALUE) {
                    return 3;
                } else if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                    return 5;
                }
            }
        }
        int prefix = v.length < 64 ? 1 : v.length < 16384 ? 2 : 5;
        return prefix + v.length;
    }

    /** C's {@code strtod} as Redis uses it: the longest numeric prefix, 0 if none. */
    private static double strtod(String s) {
        for (int end = s.length(); end > 0; end--) {
            try {
                return Double.parseDouble(s.substring(0, end));
            } catch (NumberFormatException e) {
                // try a shorter prefix
            }
        }
        return 0;
    }

    /** C's {@code atoi}. */
    private static long atoi(String s) {
        int i = 0;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i++) == '-';
        }
        long n = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && n < Integer.MAX_VALUE) {
            n = n * 10 + (s.charAt(i++) - '0');
        }
        return neg ? -n : n;
    }
}
