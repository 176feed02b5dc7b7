package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.util.Numbers;

import java.util.ArrayList;
import java.util.List;

/**
 * The options of SCAN, HSCAN, SSCAN and ZSCAN as Redis 7.0's {@code scanGenericCommand} reads
 * them: {@code COUNT n} (an integer, at least 1), {@code MATCH pattern} ({@code *} alone means no
 * pattern) and, for SCAN only, {@code TYPE name}. The first bad option is kept rather than thrown:
 * HSCAN, SSCAN and ZSCAN report it only once they have found the key (a missing key answers the
 * empty scan whatever its options), SCAN reports it at once.
 */
final class ScanArgs {
    /** The reply to a scan of a missing collection. */
    static final Reply EMPTY = Reply.array(Reply.bulk("0"), Reply.EMPTY_ARRAY);

    long count = 10;
    byte[] pattern;
    String type;
    RedJarException error;

    private ScanArgs() {
    }

    static ScanArgs parse(byte[][] a, int from, boolean allowType) {
        ScanArgs s = new ScanArgs();
        int i = from;
        while (i < a.length && s.error == null) {
            int j = a.length - i;
            if (Args.is(a[i], "count") && j >= 2) {
                if (!Numbers.isLong(a[i + 1])) {
                    s.error = new io.redjar.NotIntegerException();
                } else {
                    s.count = Numbers.parseLong(a[i + 1]);
                    if (s.count < 1) {
                        s.error = new SyntaxException();
                    }
                }
                i += 2;
            } else if (Args.is(a[i], "match") && j >= 2) {
                byte[] p = a[i + 1];
                s.pattern = p.length == 1 && p[0] == '*' ? null : p;
                i += 2;
            } else if (allowType && Args.is(a[i], "type") && j >= 2) {
                s.type = Args.str(a[i + 1]);
                i += 2;
            } else {
                s.error = new SyntaxException();
            }
        }
        return s;
    }

    /** @return {@code [cursor, [items...]]} */
    static Reply reply(long cursor, List<byte[]> items) {
        List<Reply> out = new ArrayList<>(items.size());
        for (byte[] b : items) {
            out.add(new Reply.Bulk(b));
        }
        return Reply.array(Reply.bulk(Long.toUnsignedString(cursor)), Reply.array(out));
    }
}
