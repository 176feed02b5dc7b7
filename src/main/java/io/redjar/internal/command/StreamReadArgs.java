package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.SyntaxException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The arguments of XREAD and XREADGROUP, parsed once for both as Redis's {@code xreadCommand}
 * does: {@code [GROUP g c] [COUNT n] [BLOCK ms] [NOACK] STREAMS key ... id ...}, with its errors in
 * its order (GROUP and NOACK refused by XREAD, BLOCK refused in scripts, an unbalanced STREAMS
 * list, a missing GROUP for XREADGROUP).
 *
 * @param timeoutMs BLOCK's milliseconds, -1 without BLOCK
 * @param count     COUNT (0: no limit; negative counts read as 0, as Redis)
 * @param keys      the stream keys
 * @param ids       one ID argument per key, unparsed ({@code $}, {@code >}, {@code +} or an ID)
 * @param group     XREADGROUP's group, else null
 * @param consumer  XREADGROUP's consumer, else null
 * @param noack     XREADGROUP's NOACK
 */
record StreamReadArgs(long timeoutMs, long count, byte[][] keys, byte[][] ids, byte[] group, byte[] consumer,
                      boolean noack) {

    /** Parses {@code a} (the whole command, name first) for XREADGROUP when {@code xreadgroup}, else XREAD. */
    static StreamReadArgs parse(ExecContext c, byte[][] a, boolean xreadgroup) {
        long timeout = -1;
        long count = 0;
        int streamsArg = 0;
        int streamsCount = 0;
        boolean noack = false;
        byte[] group = null;
        byte[] consumer = null;
        for (int i = 1; i < a.length; i++) {
            int moreargs = a.length - i - 1;
            byte[] o = a[i];
            if (Args.is(o, "block") && moreargs > 0) {
                if (c.fromScript()) {
                    throw new RedJarException("ERR " + new String(a[0], StandardCharsets.UTF_8)
                        + " command is not allowed with BLOCK option from scripts");
                }
                i++;
                timeout = Args.parseLong(a[i], "ERR timeout is not an integer or out of range");
                if (timeout < 0) {
                    throw new RedJarException("ERR timeout is negative");
                }
            } else if (Args.is(o, "count") && moreargs > 0) {
                i++;
                count = Math.max(0, Args.parseLong(a[i]));
            } else if (Args.is(o, "streams") && moreargs > 0) {
                streamsArg = i + 1;
                streamsCount = a.length - streamsArg;
                if (streamsCount % 2 != 0) {
                    // the same words for XREADGROUP, as Redis
                    throw new RedJarException("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
                }
                streamsCount /= 2;
                break;
            } else if (Args.is(o, "group") && moreargs >= 2) {
                if (!xreadgroup) {
                    throw new RedJarException("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                }
                group = a[i + 1];
                consumer = a[i + 2];
                i += 2;
            } else if (Args.is(o, "noack")) {
                if (!xreadgroup) {
                    throw new RedJarException("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                }
                noack = true;
            } else {
                throw new SyntaxException();
            }
        }
        if (streamsArg == 0) {
            throw new SyntaxException();
        }
        if (xreadgroup && group == null) {
            throw new RedJarException("ERR Missing GROUP option for XREADGROUP");
        }
        return new StreamReadArgs(timeout, count, Arrays.copyOfRange(a, streamsArg, streamsArg + streamsCount),
            Arrays.copyOfRange(a, streamsArg + streamsCount, a.length), group, consumer, noack);
    }
}
