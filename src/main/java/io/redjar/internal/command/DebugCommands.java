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
 * The DEBUG subset that makes sense without persistence: SLEEP, SET-ACTIVE-EXPIRE, OBJECT, HELP.
 * Everything else (RELOAD, JMAP, ...) gets Redis's unknown-subcommand error.
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
        if (a.length == 3 && Args.is(a[1], "set-active-expire")) {
            c.engine().activeExpire(atoi(Args.str(a[2])) != 0);
            return Reply.OK;
        }
        if (a.length == 3 && Args.is(a[1], "object")) {
            return object(c, a[2]);
        }
        throw new RedJarException(ErrorPrefix.ERR, "unknown subcommand or wrong number of arguments for '" + Args.str(a[1])
            + "'. Try DEBUG HELP.");
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
