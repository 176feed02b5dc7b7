package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.blocking.BlockingPops;
import io.redjar.internal.blocking.Waiter;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.types.StreamGroupOps;
import io.redjar.internal.types.StreamId;

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
import static io.redjar.internal.command.KeyFlag.INSERT;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeyFlag.RW;
import static io.redjar.internal.command.KeyFlag.UPDATE;
import static io.redjar.internal.command.KeySpec.index;

/**
 * The consumer-group commands' adapter (XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM,
 * XINFO GROUPS and CONSUMERS): parse in Redis 7.0's order (so the same input gets the same first
 * error), call {@link StreamGroupOps}, shape the reply. XREADGROUP BLOCK goes through
 * {@link BlockingPops#tryOrWait} like XREAD: a blocked group reader is served when the key is
 * signalled ready (XADD, XGROUP DESTROY, the key deleted or overwritten), and gets NOGROUP or
 * UNBLOCKED errors as Redis 7.0 gives them.
 */
public final class StreamGroupCommands {
    private static final String G = "stream";
    /** Redis's {@code XREAD_BLOCKED_DEFAULT_COUNT}. */
    private static final long XREAD_BLOCKED_DEFAULT_COUNT = 1000;
    /** The largest transient buffer XAUTOCLAIM's COUNT may imply before it is refused as Redis's failed malloc. */
    private static final long TRANSIENT_LIMIT = 1L << 36;

    private StreamGroupCommands() {
    }

    private static StreamGroupOps ops(ExecContext c) {
        return c.engine().streamGroups();
    }

    /** Adds the consumer-group commands to {@code t} (after the stream commands: XINFO is theirs). */
    public static void register(CommandTable t) {
        t.add("xgroup", -2).doc(G, "A container for consumer groups commands").handler((c, a) -> {
            throw new IllegalStateException("container command");
        });
        t.addSub("xgroup", "create", -5).flags(WRITE, DENYOOM)
            .keySpecs(index(2).range(0, 1, 0).flags(RW, INSERT))
            .doc(G, "Create a consumer group.")
            .handler(StreamGroupCommands::xgroup);
        t.addSub("xgroup", "createconsumer", 5).flags(WRITE, DENYOOM)
            .keySpecs(index(2).range(0, 1, 0).flags(RW, INSERT))
            .doc(G, "Create a consumer in a consumer group.")
            .handler(StreamGroupCommands::xgroup);
        t.addSub("xgroup", "delconsumer", 5).flags(WRITE)
            .keySpecs(index(2).range(0, 1, 0).flags(RW, DELETE))
            .doc(G, "Delete a consumer from a consumer group.")
            .handler(StreamGroupCommands::xgroup);
        t.addSub("xgroup", "destroy", 4).flags(WRITE)
            .keySpecs(index(2).range(0, 1, 0).flags(RW, DELETE))
            .doc(G, "Destroy a consumer group.")
            .handler(StreamGroupCommands::xgroup);
        t.addSub("xgroup", "setid", -5).flags(WRITE)
            .keySpecs(index(2).range(0, 1, 0).flags(RW, UPDATE))
            .doc(G, "Set a consumer group to an arbitrary last delivered ID value.")
            .handler(StreamGroupCommands::xgroup);
        t.addSub("xgroup", "help", 2).flags(LOADING, STALE)
            .doc(G, "Show helpful text about the different subcommands")
            .handler((c, a) -> KeyCommands.help("XGROUP",
                "CREATE <key> <groupname> <id|$> [option]",
                "    Create a new consumer group. Options are:",
                "    * MKSTREAM",
                "      Create the empty stream if it does not exist.",
                "    * ENTRIESREAD entries_read",
                "      Set the group's entries_read counter (internal use).",
                "CREATECONSUMER <key> <groupname> <consumer>",
                "    Create a new consumer in the specified group.",
                "DELCONSUMER <key> <groupname> <consumer>",
                "    Remove the specified consumer.",
                "DESTROY <key> <groupname>",
                "    Remove the specified group.",
                "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                "    Set the current group ID and entries_read counter."));
        t.add("xreadgroup", -7).flags(BLOCKING, WRITE)
            .keySpecs(KeySpec.keyword("STREAMS", 4).range(-1, 1, 2).flags(RO, ACCESS)).getKeys(GetKeysProc.XREAD)
            .doc(G, "Return new entries from a stream using a consumer group, or access the history of the pending "
                + "entries for a given consumer. Can block.")
            .handler(StreamGroupCommands::xreadgroup);
        t.add("xack", -4).flags(WRITE, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, UPDATE))
            .doc(G, "Marks a pending message as correctly processed, effectively removing it from the pending entries "
                + "list of the consumer group.")
            .handler(StreamGroupCommands::xack);
        t.add("xpending", -3).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS)).tips("nondeterministic_output")
            .doc(G, "Return information and entries from a stream consumer group pending entries list, that are "
                + "messages fetched but never acknowledged.")
            .handler(StreamGroupCommands::xpending);
        t.add("xclaim", -6).flags(WRITE, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, UPDATE)).tips("nondeterministic_output")
            .doc(G, "Changes (or acquires) ownership of a message in a consumer group, as if the message was "
                + "delivered to the specified consumer.")
            .handler(StreamGroupCommands::xclaim);
        t.add("xautoclaim", -6).flags(WRITE, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, DELETE)).tips("nondeterministic_output")
            .doc(G, "Changes (or acquires) ownership of messages in a consumer group, as if the messages were "
                + "delivered to the specified consumer.")
            .handler(StreamGroupCommands::xautoclaim);
        t.addSub("xinfo", "groups", 3).flags(READONLY)
            .keySpecs(index(2).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "List the consumer groups of a stream")
            .handler(StreamGroupCommands::xinfoGroups);
        t.addSub("xinfo", "consumers", 4).flags(READONLY)
            .keySpecs(index(2).range(0, 1, 0).flags(RO, ACCESS)).tips("nondeterministic_output")
            .doc(G, "List the consumers in a consumer group")
            .handler(StreamGroupCommands::xinfoConsumers);
    }

    // ---- replies ------------------------------------------------------------------------------

    private static Reply id(StreamId id) {
        return new Reply.Bulk(id.bytes());
    }

    /** One entry: {@code [id, [field, value, ...]]}, or {@code [id, nil]} for a deleted history entry. */
    static Reply entry(StreamGroupOps.Entry e) {
        if (e.fieldsAndValues() == null) {
            return Reply.array(id(e.id()), Reply.NULL_ARRAY);
        }
        List<Reply> fv = new ArrayList<>(e.fieldsAndValues().length);
        for (byte[] b : e.fieldsAndValues()) {
            fv.add(new Reply.Bulk(b));
        }
        return Reply.array(id(e.id()), Reply.array(fv));
    }

    private static Reply entries(List<StreamGroupOps.Entry> es, boolean justId) {
        List<Reply> out = new ArrayList<>(es.size());
        for (StreamGroupOps.Entry e : es) {
            out.add(justId ? id(e.id()) : entry(e));
        }
        return Reply.array(out);
    }

    private static Reply readReply(List<StreamGroupOps.ReadResult> results, int protocol) {
        List<Reply> out = new ArrayList<>();
        for (StreamGroupOps.ReadResult r : results) {
            if (protocol >= 3) {
                out.add(new Reply.Bulk(r.key()));
                out.add(entries(r.entries(), false));
            } else {
                out.add(Reply.array(new Reply.Bulk(r.key()), entries(r.entries(), false)));
            }
        }
        return protocol >= 3 ? new Reply.Map(out) : Reply.array(out);
    }

    private static void put(List<Reply> m, String k, Reply v) {
        m.add(new Reply.Bulk(k.getBytes(StandardCharsets.US_ASCII)));
        m.add(v);
    }

    private static Reply nullableLong(Long v) {
        return v == null ? Reply.NULL : Reply.integer(v);
    }

    private static RedJarException subcommandSyntax(byte[][] a) {
        return new RedJarException("ERR unknown subcommand or wrong number of arguments for '"
            + new String(a[1], StandardCharsets.UTF_8) + "'. Try "
            + new String(a[0], StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT) + " HELP.");
    }

    // ---- XGROUP -------------------------------------------------------------------------------

    private static Reply xgroup(ExecContext c, byte[][] a) {
        String sub = new String(a[1], StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
        boolean create = sub.equals("create");
        boolean setid = sub.equals("setid");
        boolean mkstream = false;
        long entriesRead = -1;
        for (int i = 5; i < a.length; ) {
            if (create && Args.is(a[i], "mkstream")) {
                mkstream = true;
                i++;
            } else if ((create || setid) && Args.is(a[i], "entriesread") && i + 1 < a.length) {
                entriesRead = Args.parseLong(a[i + 1]);
                if (entriesRead < 0 && entriesRead != -1) {
                    throw new RedJarException("ERR value for ENTRIESREAD must be positive or -1");
                }
                i += 2;
            } else {
                throw subcommandSyntax(a);
            }
        }
        StreamGroupOps ops = ops(c);
        int db = c.db();
        switch (sub) {
            case "create":
                if (a.length > 8) {
                    ops.checkXGroup(db, a[2], a[3], false, mkstream);
                    throw subcommandSyntax(a);
                }
                ops.create(db, a[2], a[3], a[4], mkstream, entriesRead, a);
                return Reply.OK;
            case "setid":
                if (a.length != 5 && a.length != 7) {
                    ops.checkXGroup(db, a[2], a[3], true, false);
                    throw subcommandSyntax(a);
                }
                ops.setId(db, a[2], a[3], a[4], entriesRead, a);
                return Reply.OK;
            case "destroy":
                return Reply.integer(ops.destroy(db, a[2], a[3], a) ? 1 : 0);
            case "createconsumer":
                return Reply.integer(ops.createConsumer(db, a[2], a[3], a[4], a) ? 1 : 0);
            case "delconsumer":
                return Reply.integer(ops.deleteConsumer(db, a[2], a[3], a[4], a));
            default:
                throw subcommandSyntax(a);
        }
    }

    // ---- XREADGROUP ---------------------------------------------------------------------------

    private static Reply xreadgroup(ExecContext c, byte[][] a) {
        StreamReadArgs parsed = StreamReadArgs.parse(c, a, true);
        long timeout = parsed.timeoutMs();
        long count = parsed.count();
        boolean noack = parsed.noack();
        byte[] group = parsed.group();
        byte[] consumer = parsed.consumer();
        byte[][] keys = parsed.keys();
        byte[][] idArgs = parsed.ids();
        StreamGroupOps ops = ops(c);
        int db = c.db();
        int protocol = c.protocol();
        Keyspace ks = c.engine().keyspace();
        int[] shards = ks.shardsOf(keys, 0, keys.length, 1);
        byte[] groupName = group;
        byte[] consumerName = consumer;
        long n = count;
        boolean na = noack;
        java.util.function.Supplier<Reply> now = () -> {
            StreamId[] ids = new StreamId[keys.length];
            for (int i = 0; i < keys.length; i++) {
                ops.checkReadGroup(db, new byte[][] {keys[i]}, groupName);
                byte[] arg = idArgs[i];
                if (arg.length == 1 && arg[0] == '$') {
                    throw new RedJarException("ERR The $ ID is meaningless in the context of XREADGROUP: you want to "
                        + "read the history of this consumer by specifying a proper ID, or use the > ID to get new "
                        + "messages. The $ ID would just return an empty result set.");
                } else if (arg.length == 1 && arg[0] == '>') {
                    ids[i] = null;
                } else {
                    StreamId id = StreamId.parseStrict(arg, 0);
                    ids[i] = id.equals(StreamId.MAX) ? null : id; // Redis marks '>' with the maximum id
                }
            }
            List<StreamGroupOps.ReadResult> out = new ArrayList<>();
            for (int i = 0; i < keys.length; i++) {
                StreamGroupOps.ReadResult r = ops.readGroup(db, keys[i], groupName, consumerName, ids[i], n, na);
                if (r != null) {
                    out.add(r);
                }
            }
            return out.isEmpty() ? null : readReply(out, protocol);
        };
        if (timeout == -1) {
            ks.lock(shards);
            try {
                Reply r = now.get();
                return r == null ? Reply.NULL_ARRAY : r;
            } finally {
                ks.unlock(shards);
            }
        }
        long wait = BlockingCommands.noWait(c, timeout);
        long blockedCount = count != 0 ? count : XREAD_BLOCKED_DEFAULT_COUNT;
        Set<String> seen = new LinkedHashSet<>();
        List<byte[]> distinct = new ArrayList<>();
        for (byte[] k : keys) {
            if (seen.add(new String(k, StandardCharsets.ISO_8859_1))) {
                distinct.add(k);
            }
        }
        BlockingPops.Outcome<Reply> o = BlockingPops.tryOrWait(c.engine(), db, distinct.toArray(new byte[0][]), shards,
            wait, now, key -> {
                try {
                    StreamGroupOps.ReadResult r = ops.serveBlocked(db, key, groupName, consumerName, blockedCount, na);
                    return r == null ? null : readReply(List.of(r), protocol);
                } catch (RedJarException e) {
                    return e.toReply();
                }
            }, Reply.NULL_ARRAY);
        if (o.blocked()) {
            Waiter<Reply> w = o.waiter();
            c.block(w);
            return Reply.NULL_ARRAY;
        }
        return o.now();
    }

    // ---- XACK ---------------------------------------------------------------------------------

    private static Reply xack(ExecContext c, byte[][] a) {
        StreamGroupOps ops = ops(c);
        if (!ops.hasGroup(c.db(), a[1], a[2])) {
            return Reply.ZERO;
        }
        StreamId[] ids = new StreamId[a.length - 3];
        for (int j = 3; j < a.length; j++) {
            ids[j - 3] = StreamId.parseStrict(a[j], 0);
        }
        return Reply.integer(ops.ack(c.db(), a[1], a[2], ids, a));
    }

    // ---- XPENDING -----------------------------------------------------------------------------

    /** {@code streamParseIntervalIDOrReply}. */
    static StreamId parseInterval(byte[] arg, long missingSeq, boolean[] exclude) {
        exclude[0] = arg.length > 1 && arg[0] == '(';
        if (exclude[0]) {
            return StreamId.parseStrict(java.util.Arrays.copyOfRange(arg, 1, arg.length), missingSeq);
        }
        return StreamId.parse(arg, missingSeq);
    }

    private static Reply xpending(ExecContext c, byte[][] a) {
        boolean justInfo = a.length == 3;
        if (a.length != 3 && (a.length < 6 || a.length > 9)) {
            throw new SyntaxException();
        }
        long count = 0;
        long minIdle = 0;
        StreamId start = null;
        StreamId end = null;
        byte[] consumer = null;
        if (a.length >= 6) {
            int startIdx = 3;
            if (Args.is(a[3], "idle")) {
                minIdle = Args.parseLong(a[4]);
                if (a.length < 8) {
                    throw new SyntaxException();
                }
                startIdx += 2;
            }
            count = Args.parseLong(a[startIdx + 2]);
            if (count < 0) {
                count = 0;
            }
            boolean[] ex = new boolean[1];
            start = parseInterval(a[startIdx], 0, ex);
            if (ex[0]) {
                start = start.incr();
                if (start == null) {
                    throw new RedJarException("ERR invalid start ID for the interval");
                }
            }
            end = parseInterval(a[startIdx + 1], -1L, ex);
            if (ex[0]) {
                end = end.decr();
                if (end == null) {
                    throw new RedJarException("ERR invalid end ID for the interval");
                }
            }
            if (startIdx + 3 < a.length) {
                consumer = a[startIdx + 3];
            }
        }
        StreamGroupOps ops = ops(c);
        if (justInfo) {
            StreamGroupOps.PendingSummary s = ops.pendingSummary(c.db(), a[1], a[2]);
            if (s.count() == 0) {
                return Reply.array(Reply.ZERO, Reply.NULL, Reply.NULL, Reply.NULL_ARRAY);
            }
            List<Reply> consumers = new ArrayList<>();
            for (int i = 0; i < s.names().size(); i++) {
                consumers.add(Reply.array(new Reply.Bulk(s.names().get(i)),
                    Reply.bulk(Long.toString(s.counts().get(i)))));
            }
            return Reply.array(Reply.integer(s.count()), id(s.min()), id(s.max()), Reply.array(consumers));
        }
        List<StreamGroupOps.PendingEntry> rows = ops.pending(c.db(), a[1], a[2], minIdle, start, end, count, consumer);
        List<Reply> out = new ArrayList<>(rows.size());
        for (StreamGroupOps.PendingEntry p : rows) {
            out.add(Reply.array(id(p.id()), new Reply.Bulk(p.consumer()), Reply.integer(p.idle()),
                Reply.integer(p.deliveries())));
        }
        return Reply.array(out);
    }

    // ---- XCLAIM / XAUTOCLAIM ------------------------------------------------------------------

    private static Reply xclaim(ExecContext c, byte[][] a) {
        StreamGroupOps ops = ops(c);
        int db = c.db();
        ops.requireGroup(db, a[1], a[2]);
        long minIdle = Args.parseLong(a[4], "ERR Invalid min-idle-time argument for XCLAIM");
        if (minIdle < 0) {
            minIdle = 0;
        }
        List<StreamId> ids = new ArrayList<>();
        List<byte[]> idArgs = new ArrayList<>();
        int j = 5;
        for (; j < a.length; j++) {
            try {
                ids.add(StreamId.parseStrict(a[j], 0));
                idArgs.add(a[j]);
            } catch (RedJarException e) {
                break;
            }
        }
        long deliveryTime = -1;
        boolean idleGiven = false;
        long retryCount = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < a.length; j++) {
            int moreargs = a.length - 1 - j;
            byte[] opt = a[j];
            if (Args.is(opt, "force")) {
                force = true;
            } else if (Args.is(opt, "justid")) {
                justId = true;
            } else if (Args.is(opt, "idle") && moreargs > 0) {
                j++;
                deliveryTime = Args.parseLong(a[j], "ERR Invalid IDLE option argument for XCLAIM");
                idleGiven = true;
            } else if (Args.is(opt, "time") && moreargs > 0) {
                j++;
                deliveryTime = Args.parseLong(a[j], "ERR Invalid TIME option argument for XCLAIM");
                idleGiven = false;
            } else if (Args.is(opt, "retrycount") && moreargs > 0) {
                j++;
                retryCount = Args.parseLong(a[j], "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (Args.is(opt, "lastid") && moreargs > 0) {
                j++;
                lastId = StreamId.parseStrict(a[j], 0);
            } else {
                throw new RedJarException("ERR Unrecognized XCLAIM option '" + new String(opt, StandardCharsets.UTF_8) + "'");
            }
        }
        StreamGroupOps.ClaimArgs args = new StreamGroupOps.ClaimArgs(minIdle, ids.toArray(new StreamId[0]),
            idArgs.toArray(new byte[0][]), deliveryTime, idleGiven, retryCount, force, justId, lastId);
        return entries(ops.claim(db, a[1], a[2], a[3], args), justId);
    }

    private static Reply xautoclaim(ExecContext c, byte[][] a) {
        boolean[] parsed = new boolean[1];
        try {
            return xautoclaim(c, a, parsed);
        } catch (RedJarException e) {
            if (!parsed[0]) {
                // Redis looks the key up (a keyspace hit or miss) before it parses the arguments
                try {
                    ops(c).hasGroup(c.db(), a[1], a[2]);
                } catch (RedJarException ignored) {
                    // the argument error stands
                }
            }
            throw e;
        }
    }

    private static Reply xautoclaim(ExecContext c, byte[][] a, boolean[] parsed) {
        long minIdle = Args.parseLong(a[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM");
        if (minIdle < 0) {
            minIdle = 0;
        }
        boolean[] ex = new boolean[1];
        StreamId start = parseInterval(a[5], 0, ex);
        if (ex[0]) {
            start = start.incr();
            if (start == null) {
                throw new RedJarException("ERR invalid start ID for the interval");
            }
        }
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < a.length; j++) {
            int moreargs = a.length - 1 - j;
            if (Args.is(a[j], "count") && moreargs > 0) {
                long maxCount = Long.MAX_VALUE / 16;
                count = Args.parseLong(a[j + 1], "ERR COUNT must be > 0");
                if (count < 1 || count > maxCount) {
                    throw new RedJarException("ERR COUNT must be > 0");
                }
                j++;
            } else if (Args.is(a[j], "justid")) {
                justId = true;
            } else {
                throw new SyntaxException();
            }
        }
        if (count > TRANSIENT_LIMIT / 16) {
            // Redis allocates count * sizeof(streamID) up front for the deleted ids and reports a
            // failed allocation; RedJar refuses where such a buffer could not exist (over 64 GiB)
            throw new RedJarException("ERR Insufficient memory, failed allocating transient memory, COUNT too high.");
        }
        parsed[0] = true;
        StreamGroupOps.AutoClaimResult r = ops(c).autoClaim(c.db(), a[1], a[2], a[3], minIdle, start, count, justId);
        List<Reply> deleted = new ArrayList<>(r.deleted().size());
        for (StreamId d : r.deleted()) {
            deleted.add(id(d));
        }
        return Reply.array(id(r.cursor()), entries(r.claimed(), justId), Reply.array(deleted));
    }

    // ---- XINFO GROUPS / CONSUMERS -------------------------------------------------------------

    private static Reply xinfoGroups(ExecContext c, byte[][] a) {
        List<Reply> out = new ArrayList<>();
        for (StreamGroupOps.GroupInfo g : ops(c).groupsInfo(c.db(), a[2])) {
            List<Reply> m = new ArrayList<>(12);
            put(m, "name", new Reply.Bulk(g.name()));
            put(m, "consumers", Reply.integer(g.consumers()));
            put(m, "pending", Reply.integer(g.pending()));
            put(m, "last-delivered-id", id(g.lastDelivered()));
            put(m, "entries-read", nullableLong(g.entriesRead()));
            put(m, "lag", nullableLong(g.lag()));
            out.add(new Reply.Map(m));
        }
        return Reply.array(out);
    }

    private static Reply xinfoConsumers(ExecContext c, byte[][] a) {
        List<Reply> out = new ArrayList<>();
        for (StreamGroupOps.ConsumerInfo ci : ops(c).consumersInfo(c.db(), a[2], a[3])) {
            List<Reply> m = new ArrayList<>(6);
            put(m, "name", new Reply.Bulk(ci.name()));
            put(m, "pending", Reply.integer(ci.pending()));
            put(m, "idle", Reply.integer(ci.idle()));
            out.add(new Reply.Map(m));
        }
        return Reply.array(out);
    }

    /** The {@code groups} value of XINFO STREAM FULL (the stream commands' XINFO STREAM calls it). */
    public static Reply fullGroups(List<StreamGroupOps.FullGroup> groups) {
        List<Reply> out = new ArrayList<>();
        for (StreamGroupOps.FullGroup g : groups) {
            List<Reply> m = new ArrayList<>(14);
            put(m, "name", new Reply.Bulk(g.name()));
            put(m, "last-delivered-id", id(g.lastDelivered()));
            put(m, "entries-read", nullableLong(g.entriesRead()));
            put(m, "lag", nullableLong(g.lag()));
            put(m, "pel-count", Reply.integer(g.pelCount()));
            List<Reply> pending = new ArrayList<>(g.pending().size());
            for (StreamGroupOps.FullNack n : g.pending()) {
                pending.add(Reply.array(id(n.id()), new Reply.Bulk(n.consumer()), Reply.integer(n.deliveryTime()),
                    Reply.integer(n.deliveries())));
            }
            put(m, "pending", Reply.array(pending));
            List<Reply> consumers = new ArrayList<>(g.consumers().size());
            for (StreamGroupOps.FullConsumer fc : g.consumers()) {
                List<Reply> cm = new ArrayList<>(8);
                put(cm, "name", new Reply.Bulk(fc.name()));
                put(cm, "seen-time", Reply.integer(fc.seenTime()));
                put(cm, "pel-count", Reply.integer(fc.pelCount()));
                List<Reply> own = new ArrayList<>(fc.pending().size());
                for (StreamGroupOps.FullNack n : fc.pending()) {
                    own.add(Reply.array(id(n.id()), Reply.integer(n.deliveryTime()), Reply.integer(n.deliveries())));
                }
                put(cm, "pending", Reply.array(own));
                consumers.add(new Reply.Map(cm));
            }
            put(m, "consumers", Reply.array(consumers));
            out.add(new Reply.Map(m));
        }
        return Reply.array(out);
    }
}
