package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.blocking.BlockingPops;
import io.redjar.internal.blocking.Waiter;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.types.StreamId;
import io.redjar.internal.types.StreamObject;
import io.redjar.internal.types.StreamOps;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.redjar.internal.command.CommandFlag.BLOCKING;
import static io.redjar.internal.command.CommandFlag.DENYOOM;
import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.READONLY;
import static io.redjar.internal.command.CommandFlag.STALE;
import static io.redjar.internal.command.CommandFlag.WRITE;
import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.DELETE;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeyFlag.RW;
import static io.redjar.internal.command.KeyFlag.UPDATE;
import static io.redjar.internal.command.KeySpec.index;

/**
 * The stream commands' adapter (without consumer groups): parse every argument as Redis 7.0's
 * {@code t_stream.c} does (same order of checks, same errors), call {@link StreamOps}, shape the
 * reply. XREAD BLOCK goes through {@link BlockingPops#tryOrWait}: the IDs ({@code $} included)
 * are resolved under the keys' locks at block time, and a waiter is served after a later XADD
 * signals the key ready ({@link Keyspace#signalReady}).
 *
 * <p>The XINFO container's GROUPS and CONSUMERS subcommands, XGROUP, XREADGROUP and the other
 * group commands are registered by the consumer-group code.
 */
public final class StreamCommands {
    private static final String G = "stream";
    /** Redis's {@code XREAD_BLOCKED_DEFAULT_COUNT}. */
    private static final long XREAD_BLOCKED_DEFAULT_COUNT = 1000;

    private StreamCommands() {
    }

    private static StreamOps ops(ExecContext c) {
        return c.engine().streams();
    }

    /** Adds the stream commands to {@code t}. */
    public static void register(CommandTable t) {
        t.add("xadd", -5).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, UPDATE).notes("UPDATE instead of INSERT because of the optional trimming feature"))
            .tips("nondeterministic_output")
            .doc(G, "Appends a new entry to a stream")
            .handler(StreamCommands::xadd);
        t.add("xrange", -4).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Return a range of elements in a stream, with IDs matching the specified IDs interval")
            .handler((c, a) -> xrange(c, a, false));
        t.add("xrevrange", -4).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order "
                + "(from greater to smaller IDs) compared to XRANGE")
            .handler((c, a) -> xrange(c, a, true));
        t.add("xlen", 2).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO))
            .doc(G, "Return the number of entries in a stream")
            .handler((c, a) -> Reply.integer(ops(c).xlen(c.db(), a[1])));
        t.add("xdel", -3).flags(WRITE, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, DELETE))
            .doc(G, "Removes the specified entries from the stream. Returns the number of items actually deleted, that may be "
                + "different from the number of IDs passed in case certain IDs do not exist.")
            .handler(StreamCommands::xdel);
        t.add("xtrim", -4).flags(WRITE)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, DELETE)).tips("nondeterministic_output")
            .doc(G, "Trims the stream to (approximately if '~' is passed) a certain size")
            .handler((c, a) -> {
                Parsed p = parseAddOrTrim(c, a, false);
                return Reply.integer(ops(c).xtrim(c.db(), a[1], a, p.trim));
            });
        t.add("xsetid", -3).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, UPDATE))
            .doc(G, "An internal command for replicating stream values")
            .handler(StreamCommands::xsetid);
        t.add("xread", -4).flags(BLOCKING, READONLY)
            .keySpecs(KeySpec.keyword("STREAMS", 1).range(-1, 1, 2).flags(RO, ACCESS)).getKeys(GetKeysProc.XREAD)
            .doc(G, "Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for "
                + "each stream. Can block.")
            .handler(StreamCommands::xread);
        t.add("xinfo", -2).doc(G, "A container for stream introspection commands").handler((c, a) -> {
            throw new IllegalStateException("container command");
        });
        t.addSub("xinfo", "help", 2).flags(LOADING, STALE)
            .doc(G, "Show helpful text about the different subcommands")
            .handler((c, a) -> KeyCommands.help("XINFO",
                "CONSUMERS <key> <groupname>",
                "    Show consumers of <groupname>.",
                "GROUPS <key>",
                "    Show the stream consumer groups.",
                "STREAM <key> [FULL [COUNT <count>]",
                "    Show information about the stream."));
        t.addSub("xinfo", "stream", -3).flags(READONLY)
            .keySpecs(index(2).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Get information about a stream")
            .handler(StreamCommands::xinfoStream);
    }

    // ---- replies ------------------------------------------------------------------------------

    /** One entry as Redis replies it: {@code [id, [field, value, ...]]}. */
    public static Reply entry(StreamOps.Entry e) {
        List<Reply> fv = new ArrayList<>(e.fieldsAndValues().length);
        for (byte[] b : e.fieldsAndValues()) {
            fv.add(new Reply.Bulk(b));
        }
        return Reply.array(new Reply.Bulk(e.id().bytes()), Reply.array(fv));
    }

    /** Entries as an array of {@link #entry} replies. */
    public static Reply entries(List<StreamOps.Entry> es) {
        List<Reply> out = new ArrayList<>(es.size());
        for (StreamOps.Entry e : es) {
            out.add(entry(e));
        }
        return Reply.array(out);
    }

    /**
     * XREAD's (and XREADGROUP's) reply: per stream, the key and its entries; an array of pairs
     * under RESP2, a map under RESP3.
     */
    public static Reply readReply(List<StreamOps.ReadResult> results, int protocol) {
        List<Reply> out = new ArrayList<>();
        for (StreamOps.ReadResult r : results) {
            if (protocol >= 3) {
                out.add(new Reply.Bulk(r.key()));
                out.add(entries(r.entries()));
            } else {
                out.add(Reply.array(new Reply.Bulk(r.key()), entries(r.entries())));
            }
        }
        return protocol >= 3 ? new Reply.Map(out) : Reply.array(out);
    }

    // ---- XADD / XTRIM parsing -----------------------------------------------------------------

    private record Parsed(StreamOps.TrimArgs trim, StreamId id, boolean seqGiven, boolean noMkStream, int idPos) {
    }

    private static boolean single(byte[] b, char ch) {
        return b.length == 1 && b[0] == ch;
    }

    /** {@code streamParseAddOrTrimArgsOrReply}. */
    private static Parsed parseAddOrTrim(ExecContext c, byte[][] a, boolean xadd) {
        int strategy = StreamObject.TRIM_NONE;
        boolean approx = false;
        long maxlen = 0;
        StreamId minid = StreamId.MIN;
        long limit = 0;
        boolean limitGiven = false;
        int argIdx = -1;
        int limitIdx = -1;
        StreamId id = null;
        boolean seqGiven = true;
        boolean noMk = false;
        int i = 2;
        for (; i < a.length; i++) {
            int moreargs = a.length - 1 - i;
            byte[] opt = a[i];
            if (xadd && single(opt, '*')) {
                break;
            } else if (Args.is(opt, "maxlen") && moreargs > 0) {
                if (strategy != StreamObject.TRIM_NONE) {
                    throw new RedJarException("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                }
                approx = false;
                byte[] next = a[i + 1];
                if (moreargs >= 2 && single(next, '~')) {
                    approx = true;
                    i++;
                } else if (moreargs >= 2 && single(next, '=')) {
                    i++;
                }
                maxlen = Args.parseLong(a[i + 1]);
                if (maxlen < 0) {
                    throw new RedJarException("ERR The MAXLEN argument must be >= 0.");
                }
                i++;
                strategy = StreamObject.TRIM_MAXLEN;
                argIdx = i;
            } else if (Args.is(opt, "minid") && moreargs > 0) {
                if (strategy != StreamObject.TRIM_NONE) {
                    throw new RedJarException("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                }
                approx = false;
                byte[] next = a[i + 1];
                if (moreargs >= 2 && single(next, '~')) {
                    approx = true;
                    i++;
                } else if (moreargs >= 2 && single(next, '=')) {
                    i++;
                }
                minid = StreamId.parseStrict(a[i + 1], 0);
                i++;
                strategy = StreamObject.TRIM_MINID;
                argIdx = i;
            } else if (Args.is(opt, "limit") && moreargs > 0) {
                limit = Args.parseLong(a[i + 1]);
                if (limit < 0) {
                    throw new RedJarException("ERR The LIMIT argument must be >= 0.");
                }
                limitGiven = true;
                limitIdx = i;
                i++;
            } else if (xadd && Args.is(opt, "nomkstream")) {
                noMk = true;
            } else if (xadd) {
                StreamId.Parsed p = StreamId.parseStrictAllowingAutoSeq(opt);
                id = p.id();
                seqGiven = p.seqGiven();
                break;
            } else {
                throw new SyntaxException();
            }
        }
        if (limit != 0 && strategy == StreamObject.TRIM_NONE) {
            throw new RedJarException("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && strategy == StreamObject.TRIM_NONE) {
            throw new RedJarException("ERR syntax error, XTRIM must be called with a trimming strategy");
        }
        if (c.mustObey()) {
            limit = 0;
        } else if (limitGiven) {
            if (!approx) {
                throw new RedJarException("ERR syntax error, LIMIT cannot be used without the special ~ option");
            }
        } else if (approx) {
            long nodeMax = c.engine().limits().streamNodeMaxEntries;
            limit = nodeMax > Long.MAX_VALUE / 100 ? 1_000_000 : 100 * nodeMax;
            if (limit <= 0) {
                limit = 10000;
            }
            if (limit > 1_000_000) {
                limit = 1_000_000;
            }
        } else {
            limit = 0;
        }
        StreamOps.TrimArgs trim = strategy == StreamObject.TRIM_NONE ? StreamOps.TrimArgs.NONE
            : new StreamOps.TrimArgs(strategy, maxlen, minid, approx, limit, argIdx, limitGiven ? limitIdx : -1);
        return new Parsed(trim, id, seqGiven, noMk, i);
    }

    private static Reply xadd(ExecContext c, byte[][] a) {
        Parsed p = parseAddOrTrim(c, a, true);
        int fieldPos = p.idPos + 1;
        if (a.length - fieldPos < 2 || ((a.length - fieldPos) % 2) == 1) {
            throw new RedJarException("ERR wrong number of arguments for 'xadd' command");
        }
        if (p.id != null && p.seqGiven && p.id.isZero()) {
            throw new RedJarException("ERR The ID specified in XADD must be greater than 0-0");
        }
        byte[] id = ops(c).xadd(c.db(), a[1], a,
            new StreamOps.AddArgs(p.id, p.seqGiven, p.noMkStream, p.trim, p.idPos));
        return id == null ? Reply.NULL : new Reply.Bulk(id);
    }

    // ---- reads --------------------------------------------------------------------------------

    /** {@code streamParseIntervalIDOrReply}. */
    private static StreamId parseInterval(byte[] arg, long missingSeq, boolean[] exclude) {
        exclude[0] = arg.length > 1 && arg[0] == '(';
        if (exclude[0]) {
            return StreamId.parseStrict(java.util.Arrays.copyOfRange(arg, 1, arg.length), missingSeq);
        }
        return StreamId.parse(arg, missingSeq);
    }

    private static Reply xrange(ExecContext c, byte[][] a, boolean rev) {
        byte[] startArg = rev ? a[3] : a[2];
        byte[] endArg = rev ? a[2] : a[3];
        boolean[] ex = new boolean[1];
        StreamId start = parseInterval(startArg, 0, ex);
        if (ex[0]) {
            start = start.incr();
            if (start == null) {
                throw new RedJarException("ERR invalid start ID for the interval");
            }
        }
        StreamId end = parseInterval(endArg, -1L, ex);
        if (ex[0]) {
            end = end.decr();
            if (end == null) {
                throw new RedJarException("ERR invalid end ID for the interval");
            }
        }
        long count = -1;
        for (int j = 4; j < a.length; j++) {
            int additional = a.length - j - 1;
            if (Args.is(a[j], "count") && additional >= 1) {
                count = Args.parseLong(a[j + 1]);
                if (count < 0) {
                    count = 0;
                }
                j++;
            } else {
                throw new SyntaxException();
            }
        }
        if (count == 0) {
            return ops(c).exists(c.db(), a[1]) ? Reply.NULL_ARRAY : Reply.array(List.of());
        }
        return entries(ops(c).xrange(c.db(), a[1], start, end, rev, count == -1 ? 0 : count));
    }

    private static Reply xdel(ExecContext c, byte[][] a) {
        if (!ops(c).existsForWrite(c.db(), a[1])) {
            return Reply.integer(0); // missing: 0 before the IDs are parsed (WRONGTYPE too), as Redis
        }
        StreamId[] ids = new StreamId[a.length - 2];
        for (int j = 2; j < a.length; j++) {
            ids[j - 2] = StreamId.parseStrict(a[j], 0);
        }
        return Reply.integer(ops(c).xdel(c.db(), a[1], ids, a));
    }

    private static Reply xsetid(ExecContext c, byte[][] a) {
        StreamId id = StreamId.parseStrict(a[2], 0);
        long entriesAdded = -1;
        StreamId maxDel = StreamId.MIN;
        int i = 3;
        while (i < a.length) {
            int moreargs = a.length - 1 - i;
            if (Args.is(a[i], "entriesadded") && moreargs > 0) {
                entriesAdded = Args.parseLong(a[i + 1]);
                if (entriesAdded < 0) {
                    throw new RedJarException("ERR entries_added must be positive");
                }
                i += 2;
            } else if (Args.is(a[i], "maxdeletedid") && moreargs > 0) {
                maxDel = StreamId.parseStrict(a[i + 1], 0);
                if (id.compareTo(maxDel) < 0) {
                    throw new RedJarException("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
                i += 2;
            } else {
                throw new SyntaxException();
            }
        }
        ops(c).xsetid(c.db(), a[1], id, entriesAdded, maxDel, a);
        return Reply.OK;
    }

    private static RedJarException subcommandSyntax(byte[][] a) {
        return new RedJarException("ERR unknown subcommand or wrong number of arguments for '"
            + new String(a[1], StandardCharsets.UTF_8) + "'. Try " + new String(a[0], StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT)
            + " HELP.");
    }

    private static Reply xinfoStream(ExecContext c, byte[][] a) {
        if (!ops(c).exists(c.db(), a[2])) { // XINFO STREAM's one counted lookup (xinfo's own is not)
            throw new RedJarException("ERR no such key");
        }
        boolean full = false;
        long count = 10;
        int optc = a.length - 3;
        if (optc != 0) {
            if (optc != 1 && optc != 3) {
                throw subcommandSyntax(a);
            }
            if (!Args.is(a[3], "full")) {
                throw subcommandSyntax(a);
            }
            full = true;
            if (optc == 3) {
                if (!Args.is(a[4], "count")) {
                    throw subcommandSyntax(a);
                }
                count = Args.parseLong(a[5]);
                if (count < 0) {
                    count = 10;
                }
            }
        }
        StreamOps.Info info = ops(c).xinfo(c.db(), a[2], full, count);
        if (info == null) {
            throw new RedJarException("ERR no such key");
        }
        List<Reply> m = new ArrayList<>();
        put(m, "length", Reply.integer(info.length()));
        put(m, "radix-tree-keys", Reply.integer(info.nodes()));
        put(m, "radix-tree-nodes", Reply.integer(info.radixTreeNodes()));
        put(m, "last-generated-id", new Reply.Bulk(info.lastId().bytes()));
        put(m, "max-deleted-entry-id", new Reply.Bulk(info.maxDeletedId().bytes()));
        put(m, "entries-added", Reply.integer(info.entriesAdded()));
        put(m, "recorded-first-entry-id", new Reply.Bulk(info.recordedFirstId().bytes()));
        if (!full) {
            put(m, "groups", Reply.integer(info.groups()));
            put(m, "first-entry", info.first() == null ? Reply.NULL : entry(info.first()));
            put(m, "last-entry", info.last() == null ? Reply.NULL : entry(info.last()));
        } else {
            put(m, "entries", entries(info.entries()));
            put(m, "groups", StreamGroupCommands.fullGroups(info.fullGroups()));
        }
        return new Reply.Map(m);
    }

    private static void put(List<Reply> m, String k, Reply v) {
        m.add(new Reply.Bulk(k.getBytes(StandardCharsets.US_ASCII)));
        m.add(v);
    }

    // ---- XREAD --------------------------------------------------------------------------------

    private static Reply xread(ExecContext c, byte[][] a) {
        StreamReadArgs r = StreamReadArgs.parse(c, a, false);
        StreamOps ops = ops(c);
        int db = c.db();
        int protocol = c.protocol();
        Keyspace ks = c.engine().keyspace();
        int[] shards = ks.shardsOf(r.keys(), 0, r.keys().length, 1);
        if (r.timeoutMs() == -1) {
            ks.lock(shards);
            try {
                StreamId[] ids = ops.resolveReadIds(db, r.keys(), r.ids());
                List<StreamOps.ReadResult> res = ops.read(db, r.keys(), ids, r.count());
                return res.isEmpty() ? Reply.NULL_ARRAY : readReply(res, protocol);
            } finally {
                ks.unlock(shards);
            }
        }
        long timeout = BlockingCommands.noWait(c, r.timeoutMs());
        StreamId[][] resolved = new StreamId[1][];
        long blockedCount = r.count() != 0 ? r.count() : XREAD_BLOCKED_DEFAULT_COUNT;
        Set<String> seen = new LinkedHashSet<>();
        List<byte[]> distinct = new ArrayList<>();
        for (byte[] k : r.keys()) {
            if (seen.add(new String(k, StandardCharsets.ISO_8859_1))) {
                distinct.add(k);
            }
        }
        BlockingPops.Outcome<Reply> o = BlockingPops.tryOrWait(c.engine(), db, distinct.toArray(new byte[0][]), shards, timeout,
            () -> {
                resolved[0] = ops.resolveReadIds(db, r.keys(), r.ids());
                List<StreamOps.ReadResult> res = ops.read(db, r.keys(), resolved[0], r.count());
                return res.isEmpty() ? null : readReply(res, protocol);
            },
            key -> {
                for (int i = 0; i < r.keys().length; i++) {
                    if (java.util.Arrays.equals(r.keys()[i], key)) {
                        StreamOps.ReadResult res = ops.serveBlocked(db, key, resolved[0][i], blockedCount);
                        return res == null ? null : readReply(List.of(res), protocol);
                    }
                }
                return null;
            }, Reply.NULL_ARRAY);
        if (o.blocked()) {
            Waiter<Reply> w = o.waiter();
            c.block(w);
            return Reply.NULL_ARRAY;
        }
        return o.now();
    }
}
