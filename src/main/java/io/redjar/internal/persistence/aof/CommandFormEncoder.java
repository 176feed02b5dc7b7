package io.redjar.internal.persistence.aof;

import io.redjar.Reply;
import io.redjar.internal.command.CommandHost;
import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.CommandTable;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.KeyTable;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.keyspace.ValueType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a shard's keys as commands, the base form of a rewrite with
 * {@code aof-use-rdb-preamble no} (Redis's {@code rewriteAppendOnlyFileRio}): per database a
 * {@code SELECT}; per key {@code SET}, or {@code RPUSH}/{@code SADD}/{@code ZADD}/{@code HSET}
 * with at most {@link #ITEMS_PER_CMD} items per command (Redis's
 * {@code AOF_REWRITE_ITEMS_PER_CMD}), then {@code PEXPIREAT} for a key with a TTL. Keys already
 * expired are skipped.
 *
 * <p>Values are read through the commands' own handlers (GET, LRANGE, SMEMBERS, ZRANGE
 * WITHSCORES, HGETALL) in a private RESP2 context, with the shard's lock already held by the
 * caller, so the encoding is exactly what a client would read. Streams are read off-heap and
 * written as Redis's {@code rewriteStreamObject} writes them (see {@link #stream}).
 *
 * <p><b>Thread-safety:</b> stateless apart from the handler context; {@link #encode} is called
 * with the shard's lock held, one shard at a time per instance.
 */
public final class CommandFormEncoder implements PointInTime.ShardEncoder {
    /** Redis's {@code AOF_REWRITE_ITEMS_PER_CMD}. */
    public static final int ITEMS_PER_CMD = 64;

    private final Keyspace ks;
    private final CommandTable table;
    private final CommandHost host;

    public CommandFormEncoder(Keyspace ks, CommandTable table, CommandHost host) {
        this.ks = ks;
        this.table = table;
        this.host = host;
    }

    /**
     * Encodes {@code s}; runs on whichever thread captures the shard (the snapshotter's capture
     * may run on a writer that is locking it), so it keeps no state between calls and steps out
     * of that writer's atomic region while it reads.
     */
    @Override
    public byte[] encode(Shard s) {
        io.redjar.internal.keyspace.AtomicRegion region = io.redjar.internal.keyspace.AtomicRegion.suspend();
        try {
            return encode(s, new ExecContext(host, 0));
        } finally {
            io.redjar.internal.keyspace.AtomicRegion.resume(region);
        }
    }

    private byte[] encode(Shard s, ExecContext ctx) {
        RespEncoding out = new RespEncoding(4096);
        long now = ks.now();
        for (int db = 0; db < ks.databases(); db++) {
            KeyTable t = s.table(db);
            if (t == null || t.size() == 0) {
                continue;
            }
            List<byte[]> keys = new ArrayList<>();
            List<Integer> types = new ArrayList<>();
            List<Long> expires = new ArrayList<>();
            List<Long> entries = new ArrayList<>();
            t.forEach(e -> {
                long at = EntryDescriptor.hasExpire(e) ? EntryDescriptor.expireAt(e) : -1;
                if (at >= 0 && at <= now) {
                    return;
                }
                keys.add(EntryDescriptor.key(e));
                types.add(EntryDescriptor.type(e));
                expires.add(at);
                entries.add(e);
            });
            if (keys.isEmpty()) {
                continue;
            }
            out.command(b("SELECT"), b(Integer.toString(db)));
            ctx.db(db);
            for (int i = 0; i < keys.size(); i++) {
                ValueType type = ValueType.of(types.get(i));
                boolean written = type == ValueType.STREAM ? stream(out, entries.get(i), keys.get(i))
                    : key(out, ctx, keys.get(i), type);
                if (written && expires.get(i) >= 0) {
                    out.command(b("PEXPIREAT"), keys.get(i), b(Long.toString(expires.get(i))));
                }
            }
        }
        return out.toByteArray();
    }

    /** @return whether the key was written */
    private boolean key(RespEncoding out, ExecContext ctx, byte[] key, ValueType type) {
        switch (type) {
            case STRING -> {
                Reply r = run(ctx, "get", key);
                if (!(r instanceof Reply.Bulk v)) {
                    return false;
                }
                out.command(b("SET"), key, v.value());
                return true;
            }
            case LIST -> {
                return chunks(out, "RPUSH", key, flat(run(ctx, "lrange", key, b("0"), b("-1"))), 1);
            }
            case SET -> {
                return chunks(out, "SADD", key, flat(run(ctx, "smembers", key)), 1);
            }
            case ZSET -> {
                List<byte[]> f = flat(run(ctx, "zrange", key, b("0"), b("-1"), b("WITHSCORES")));
                for (int i = 0; i + 1 < f.size(); i += 2) { // ZADD wants score member
                    byte[] m = f.get(i);
                    f.set(i, f.get(i + 1));
                    f.set(i + 1, m);
                }
                return chunks(out, "ZADD", key, f, 2);
            }
            case HASH -> {
                return chunks(out, "HSET", key, flat(run(ctx, "hgetall", key)), 2);
            }
            default -> {
                System.getLogger("io.redjar").log(System.Logger.Level.WARNING,
                    "AOF rewrite: " + type + " values are not written in command form; key skipped");
                return false;
            }
        }
    }

    /**
     * A stream as Redis's {@code rewriteStreamObject}: XADD per entry (or {@code XADD key MAXLEN 0
     * 0-1 x y} for an empty stream), XSETID with ENTRIESADDED and MAXDELETEDID, then per group
     * XGROUP CREATE with ENTRIESREAD, and per consumer either an XCLAIM ... FORCE per pending entry
     * or XGROUP CREATECONSUMER when it has none.
     */
    private static boolean stream(RespEncoding out, long entry, byte[] key) {
        long obj = io.redjar.internal.types.StreamStructures.object(entry);
        byte[] xadd = b("XADD");
        if (io.redjar.internal.types.StreamObject.length(obj) > 0) {
            io.redjar.internal.types.StreamObject.range(obj, 0, 0, -1L, -1L, false, 0, false, (ms, seq, c) -> {
                byte[][] fv = c.fieldsAndValues();
                byte[][] argv = new byte[3 + fv.length][];
                argv[0] = xadd;
                argv[1] = key;
                argv[2] = io.redjar.internal.types.StreamId.bytes(ms, seq);
                System.arraycopy(fv, 0, argv, 3, fv.length);
                out.command(argv);
                return true;
            });
        } else {
            out.command(xadd, key, b("MAXLEN"), b("0"), b("0-1"), b("x"), b("y"));
        }
        io.redjar.internal.types.StreamId maxDel = io.redjar.internal.types.StreamObject.maxDeletedId(obj);
        out.command(b("XSETID"), key, io.redjar.internal.types.StreamObject.lastId(obj).bytes(), b("ENTRIESADDED"),
            b(Long.toString(io.redjar.internal.types.StreamObject.entriesAdded(obj))), b("MAXDELETEDID"), maxDel.bytes());
        long groups = io.redjar.internal.types.StreamObject.groups(obj);
        for (int i = 0, n = io.redjar.internal.types.StreamGroups.groupCount(groups); i < n; i++) {
            long g = io.redjar.internal.types.StreamGroups.groupAt(groups, i);
            byte[] name = io.redjar.internal.types.StreamGroups.groupName(g);
            out.command(b("XGROUP"), b("CREATE"), key, name, io.redjar.internal.types.StreamId.bytes(
                    io.redjar.internal.types.StreamGroups.lastMs(g), io.redjar.internal.types.StreamGroups.lastSeq(g)),
                b("ENTRIESREAD"), b(Long.toString(io.redjar.internal.types.StreamGroups.entriesRead(g))));
            for (int j = 0, m = io.redjar.internal.types.StreamGroups.consumerCount(g); j < m; j++) {
                long consumer = io.redjar.internal.types.StreamGroups.consumerAt(g, j);
                byte[] cname = io.redjar.internal.types.StreamGroups.consumerName(consumer);
                long cpel = io.redjar.internal.types.StreamGroups.consumerPel(consumer);
                if (io.redjar.internal.structure.IdTree.size(cpel) == 0) {
                    out.command(b("XGROUP"), b("CREATECONSUMER"), key, name, cname);
                    continue;
                }
                for (io.redjar.internal.structure.IdTree.Cursor c = new io.redjar.internal.structure.IdTree.Cursor().first(cpel);
                     c.valid(); c.next()) {
                    long nack = c.value();
                    out.command(b("XCLAIM"), key, name, cname, b("0"), io.redjar.internal.types.StreamId.bytes(c.ms(), c.seq()),
                        b("TIME"), b(Long.toString(io.redjar.internal.types.StreamGroups.deliveryTime(nack))),
                        b("RETRYCOUNT"), b(Long.toString(io.redjar.internal.types.StreamGroups.deliveryCount(nack))),
                        b("JUSTID"), b("FORCE"));
                }
            }
        }
        return true;
    }

    private static boolean chunks(RespEncoding out, String cmd, byte[] key, List<byte[]> items, int per) {
        if (items.isEmpty()) {
            return false;
        }
        int step = ITEMS_PER_CMD * per;
        for (int i = 0; i < items.size(); i += step) {
            int n = Math.min(step, items.size() - i);
            byte[][] argv = new byte[2 + n][];
            argv[0] = b(cmd);
            argv[1] = key;
            for (int j = 0; j < n; j++) {
                argv[2 + j] = items.get(i + j);
            }
            out.command(argv);
        }
        return true;
    }

    private Reply run(ExecContext ctx, String cmd, byte[]... args) {
        CommandSpec spec = table.lookup(b(cmd));
        byte[][] argv = new byte[args.length + 1][];
        argv[0] = b(cmd);
        System.arraycopy(args, 0, argv, 1, args.length);
        return spec.handler().handle(ctx, argv);
    }

    private static List<byte[]> flat(Reply r) {
        List<byte[]> out = new ArrayList<>();
        flatten(r, out);
        return out;
    }

    private static void flatten(Reply r, List<byte[]> out) {
        if (r instanceof Reply.Bulk b) {
            out.add(b.value());
        } else if (r instanceof Reply.ArrayReply a) {
            a.elements().forEach(e -> flatten(e, out));
        } else if (r instanceof Reply.Map m) {
            m.flat().forEach(e -> flatten(e, out));
        } else if (r instanceof Reply.SetReply s) {
            s.elements().forEach(e -> flatten(e, out));
        } else if (r instanceof Reply.SimpleString s) {
            out.add(b(s.value()));
        } else if (r instanceof Reply.DoubleReply d) {
            out.add(b(io.redjar.internal.util.Numbers.formatDouble17g(d.value()))); // Redis's %.17g
        } else if (r instanceof Reply.IntegerReply i) {
            out.add(b(Long.toString(i.value())));
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
