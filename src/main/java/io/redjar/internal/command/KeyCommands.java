package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.types.KeyOps;
import io.redjar.internal.util.Numbers;

import java.util.ArrayList;
import java.util.List;

import static io.redjar.internal.command.CommandFlag.DENYOOM;
import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.READONLY;
import static io.redjar.internal.command.CommandFlag.STALE;
import static io.redjar.internal.command.CommandFlag.WRITE;
import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.DELETE;
import static io.redjar.internal.command.KeyFlag.INSERT;
import static io.redjar.internal.command.KeyFlag.OW;
import static io.redjar.internal.command.KeyFlag.RM;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeyFlag.RW;
import static io.redjar.internal.command.KeyFlag.UPDATE;
import static io.redjar.internal.command.KeySpec.index;

/** The generic key commands' adapter (Redis's {@code db.c} and {@code expire.c} commands). */
public final class KeyCommands {
    private static final String G = "generic";
    private static final String LFU_OFF = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
        + "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

    private static final String LRU_OFF = "ERR An LFU maxmemory policy is selected, idle time not tracked. "
        + "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

    private KeyCommands() {
    }

    private static KeyOps ops(ExecContext c) {
        return c.engine().keys();
    }

    /** Adds the generic commands to {@code t}. */
    public static void register(CommandTable t) {
        t.add("del", -2).flags(WRITE)
            .keySpecs(index(1).range(-1, 1, 0).flags(RM, DELETE))
            .tips("request_policy:multi_shard", "response_policy:agg_sum")
            .doc(G, "Delete a key")
            .handler((c, a) -> Reply.integer(ops(c).delete(c.db(), a, 1, upper(a[0]))));
        t.add("unlink", -2).flags(WRITE, FAST)
            .keySpecs(index(1).range(-1, 1, 0).flags(RM, DELETE))
            .tips("request_policy:multi_shard", "response_policy:agg_sum")
            .doc(G, "Delete a key asynchronously in another thread")
            .handler((c, a) -> Reply.integer(ops(c).delete(c.db(), a, 1, upper(a[0]))));
        t.add("exists", -2).flags(READONLY, FAST)
            .keySpecs(index(1).range(-1, 1, 0).flags(RO)).tips("request_policy:multi_shard", "response_policy:agg_sum")
            .doc(G, "Determine if a key exists")
            .handler((c, a) -> Reply.integer(ops(c).exists(c.db(), a, 1, false)));
        t.add("touch", -2).flags(READONLY, FAST)
            .keySpecs(index(1).range(-1, 1, 0).flags(RO)).tips("request_policy:multi_shard", "response_policy:agg_sum")
            .doc(G, "Alters the last access time of a key(s)")
            .handler((c, a) -> Reply.integer(ops(c).exists(c.db(), a, 1, true)));
        t.add("type", 2).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO))
            .doc(G, "Determine the type stored at key")
            .handler((c, a) -> new Reply.SimpleString(ops(c).type(c.db(), a[1])));
        t.add("rename", 3).flags(WRITE)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, DELETE), index(2).range(0, 1, 0).flags(OW, UPDATE))
            .doc(G, "Rename a key")
            .handler((c, a) -> {
                ops(c).rename(c.db(), a[1], a[2], false);
                return Reply.OK;
            });
        t.add("renamenx", 3).flags(WRITE, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, DELETE), index(2).range(0, 1, 0).flags(OW, INSERT))
            .doc(G, "Rename a key, only if the new key does not exist")
            .handler((c, a) -> Reply.integer(ops(c).rename(c.db(), a[1], a[2], true) ? 1 : 0));
        t.add("copy", -3).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS), index(2).range(0, 1, 0).flags(OW, UPDATE))
            .doc(G, "Copy a key").handler(KeyCommands::copy);
        t.add("move", 3).flags(WRITE, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, UPDATE))
            .doc(G, "Move a key to another database")
            .handler((c, a) -> {
                return Reply.integer(ops(c).moveChecked(c.db(), a[1], Args.parseInt(a[2])) ? 1 : 0);
            });
        t.add("keys", 2).flags(READONLY)
            .tips("request_policy:all_shards", "nondeterministic_output_order")
            .doc(G, "Find all keys matching the given pattern")
            .handler((c, a) -> bulks(ops(c).keys(c.db(), a[1])));
        t.add("scan", -2).flags(READONLY)
            .tips("nondeterministic_output", "request_policy:special")
            .doc(G, "Incrementally iterate the keys space").handler(KeyCommands::scan);
        t.add("randomkey", 1).flags(READONLY)
            .tips("request_policy:all_shards", "nondeterministic_output")
            .doc(G, "Return a random key from the keyspace")
            .handler((c, a) -> Reply.bulk(ops(c).randomKey(c.db())));
        t.add("dbsize", 1).flags(READONLY, FAST)
            .tips("request_policy:all_shards", "response_policy:agg_sum")
            .doc("server", "Return the number of keys in the selected database")
            .handler((c, a) -> Reply.integer(ops(c).dbSize(c.db())));
        t.add("flushdb", -1).flags(WRITE)
            .tips("request_policy:all_shards", "response_policy:all_succeeded")
            .doc("server", "Remove all keys from the current database")
            .handler((c, a) -> {
                parseFlushMode(a);
                ops(c).flush(c.db());
                return Reply.OK;
            });
        t.add("flushall", -1).flags(WRITE)
            .tips("request_policy:all_shards", "response_policy:all_succeeded")
            .doc("server", "Remove all keys from all databases")
            .handler((c, a) -> {
                parseFlushMode(a);
                ops(c).flush(-1);
                io.redjar.internal.server.PersistenceHooks p = c.engine().server().persistence();
                if (p != null) {
                    p.flushedAll();
                }
                return Reply.OK;
            });
        t.add("swapdb", 3).flags(WRITE, FAST).doc("server", "Swaps two Redis databases")
            .handler((c, a) -> {
                int x = Args.parseInt(a[1], "ERR invalid first DB index");
                int y = Args.parseInt(a[2], "ERR invalid second DB index");
                checkDb(c, x, "ERR DB index is out of range");
                checkDb(c, y, "ERR DB index is out of range");
                ops(c).swapDb(x, y);
                return Reply.OK;
            });

        registerExpire(t, "expire", true, true);
        registerExpire(t, "pexpire", false, true);
        registerExpire(t, "expireat", true, false);
        registerExpire(t, "pexpireat", false, false);
        t.add("ttl", 2).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS)).tips("nondeterministic_output")
            .doc(G, "Get the time to live for a key in seconds")
            .handler((c, a) -> Reply.integer(ops(c).ttl(c.db(), a[1], false, false)));
        t.add("pttl", 2).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS)).tips("nondeterministic_output")
            .doc(G, "Get the time to live for a key in milliseconds")
            .handler((c, a) -> Reply.integer(ops(c).ttl(c.db(), a[1], true, false)));
        t.add("expiretime", 2).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Get the expiration Unix timestamp for a key")
            .handler((c, a) -> Reply.integer(ops(c).ttl(c.db(), a[1], false, true)));
        t.add("pexpiretime", 2).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Get the expiration Unix timestamp for a key in milliseconds")
            .handler((c, a) -> Reply.integer(ops(c).ttl(c.db(), a[1], true, true)));
        t.add("persist", 2).flags(WRITE, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, UPDATE))
            .doc(G, "Remove the expiration from a key")
            .handler((c, a) -> Reply.integer(ops(c).persist(c.db(), a[1]) ? 1 : 0));

        t.add("object", -2).doc(G, "A container for object introspection commands").handler((c, a) -> {
            throw new IllegalStateException("container command");
        });
        t.addSub("object", "encoding", 3).flags(READONLY)
            .keySpecs(index(2).range(0, 1, 0).flags(RO)).tips("nondeterministic_output")
            .doc(G, "Inspect the internal encoding of a Redis object")
            .handler((c, a) -> {
                String enc = ops(c).objectEncoding(c.db(), a[2]);
                return enc == null ? Reply.NULL : Reply.bulk(enc);
            });
        t.addSub("object", "idletime", 3).flags(READONLY)
            .keySpecs(index(2).range(0, 1, 0).flags(RO)).tips("nondeterministic_output")
            .doc(G, "Get the time since a Redis object was last accessed")
            .handler((c, a) -> {
                long idle = ops(c).objectIdleTime(c.db(), a[2]);
                if (idle >= 0 && c.engine().server().config().maxmemoryPolicy().lfu()) {
                    throw new RedJarException(LRU_OFF);
                }
                return idle < 0 ? Reply.NULL : Reply.integer(idle);
            });
        t.addSub("object", "refcount", 3).flags(READONLY)
            .keySpecs(index(2).range(0, 1, 0).flags(RO)).tips("nondeterministic_output")
            .doc(G, "Get the number of references to the value of the key")
            .handler((c, a) -> {
                long rc = ops(c).objectRefcount(c.db(), a[2]);
                return rc < 0 ? Reply.NULL : Reply.integer(rc);
            });
        t.addSub("object", "freq", 3).flags(READONLY)
            .keySpecs(index(2).range(0, 1, 0).flags(RO)).tips("nondeterministic_output")
            .doc(G, "Get the logarithmic access frequency counter of a Redis object")
            .handler((c, a) -> {
                long freq = ops(c).objectFreq(c.db(), a[2], (int) c.engine().server().config().longValue("lfu-decay-time"));
                if (freq < 0) {
                    return Reply.NULL;
                }
                if (!c.engine().server().config().maxmemoryPolicy().lfu()) {
                    throw new RedJarException(LFU_OFF);
                }
                return Reply.integer(freq);
            });
        t.addSub("object", "help", 2).flags(LOADING, STALE).doc(G, "Show helpful text about the different subcommands")
            .handler((c, a) -> help("OBJECT",
                "ENCODING <key>",
                "    Return the kind of internal representation used in order to store the value",
                "    associated with a <key>.",
                "FREQ <key>",
                "    Return the access frequency index of the <key>. The returned integer is",
                "    proportional to the logarithm of the recent access frequency of the key.",
                "IDLETIME <key>",
                "    Return the idle time of the <key>, that is the approximated number of",
                "    seconds elapsed since the last access to the key.",
                "REFCOUNT <key>",
                "    Return the number of references of the value associated with the specified",
                "    <key>."));
    }

    /** Redis's {@code addReplyHelp}: a title line, the lines, and the HELP line. */
    static Reply help(String command, String... lines) {
        List<Reply> out = new ArrayList<>();
        out.add(new Reply.SimpleString(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"));
        for (String l : lines) {
            out.add(new Reply.SimpleString(l));
        }
        out.add(new Reply.SimpleString("HELP"));
        out.add(new Reply.SimpleString("    Prints this help."));
        return Reply.array(out);
    }

    private static void registerExpire(CommandTable t, String name, boolean seconds, boolean relative) {
        t.add(name, -3).flags(WRITE, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, UPDATE))
            .doc(G, "Set a key's time to live")
            .handler((c, a) -> {
                int cond = parseExpireFlags(a);
                long amount = Args.parseLong(a[2]);
                return Reply.integer(ops(c).expire(c.db(), a[1], amount, seconds, relative, cond, name));
            });
    }

    /** Redis 7.0's {@code parseExtendedExpireArgumentsOrReply}. */
    static int parseExpireFlags(byte[][] a) {
        int flags = 0;
        for (int j = 3; j < a.length; j++) {
            if (Args.is(a[j], "nx")) {
                flags |= KeyOps.EXPIRE_NX;
            } else if (Args.is(a[j], "xx")) {
                flags |= KeyOps.EXPIRE_XX;
            } else if (Args.is(a[j], "gt")) {
                flags |= KeyOps.EXPIRE_GT;
            } else if (Args.is(a[j], "lt")) {
                flags |= KeyOps.EXPIRE_LT;
            } else {
                throw new RedJarException("ERR Unsupported option " + Args.str(a[j]));
            }
        }
        boolean nx = (flags & KeyOps.EXPIRE_NX) != 0;
        if (nx && (flags & (KeyOps.EXPIRE_XX | KeyOps.EXPIRE_GT | KeyOps.EXPIRE_LT)) != 0) {
            throw new RedJarException("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if ((flags & KeyOps.EXPIRE_GT) != 0 && (flags & KeyOps.EXPIRE_LT) != 0) {
            throw new RedJarException("ERR GT and LT options at the same time are not compatible");
        }
        return flags;
    }

    private static Reply copy(ExecContext c, byte[][] a) {
        int dstDb = c.db();
        boolean replace = false;
        for (int j = 3; j < a.length; j++) {
            int additional = a.length - j - 1;
            if (Args.is(a[j], "replace")) {
                replace = true;
            } else if (Args.is(a[j], "db") && additional >= 1) {
                dstDb = Args.parseInt(a[j + 1]);
                ops(c).checkDb(dstDb); // here, as Redis: before a later syntax error
                j++;
            } else {
                throw new SyntaxException();
            }
        }
        return Reply.integer(ops(c).copyChecked(c.db(), a[1], dstDb, a[2], replace) ? 1 : 0);
    }

    private static Reply scan(ExecContext c, byte[][] a) {
        long cursor = parseCursor(a[1]);
        ScanArgs o = ScanArgs.parse(a, 2, true);
        if (o.error != null) {
            throw o.error;
        }
        KeyOps.ScanResult r = ops(c).scan(c.db(), cursor, o.pattern, o.count, o.type);
        return ScanArgs.reply(r.cursor, r.keys);
    }

    /** Redis's {@code parseScanCursorOrReply}: {@code strtoul} with its quirks. */
    static long parseCursor(byte[] b) {
        int i = 0;
        boolean neg = false;
        if (b.length > 0 && (b[0] == ' ' || (b[0] >= '\t' && b[0] <= '\r'))) {
            throw new RedJarException("ERR invalid cursor");
        }
        if (i < b.length && (b[i] == '+' || b[i] == '-')) {
            neg = b[i] == '-';
            i++;
        }
        if (i == b.length) {
            if (b.length == 0) {
                return 0;
            }
            throw new RedJarException("ERR invalid cursor");
        }
        long v = 0;
        for (; i < b.length; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new RedJarException("ERR invalid cursor");
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                throw new RedJarException("ERR invalid cursor");
            }
            long nv = v * 10 + d;
            if (Long.compareUnsigned(nv, v * 10) < 0) {
                throw new RedJarException("ERR invalid cursor");
            }
            v = nv;
        }
        return neg ? -v : v;
    }

    private static void parseFlushMode(byte[][] a) {
        if (a.length > 2) {
            throw new SyntaxException();
        }
        if (a.length == 2 && !Args.is(a[1], "sync") && !Args.is(a[1], "async")) {
            throw new SyntaxException();
        }
    }

    static void checkDb(ExecContext c, int db, String message) {
        if (db < 0 || db >= c.engine().keyspace().databases()) {
            throw new RedJarException(message);
        }
    }

    static Reply bulks(List<byte[]> items) {
        List<Reply> out = new ArrayList<>(items.size());
        for (byte[] b : items) {
            out.add(new Reply.Bulk(b));
        }
        return Reply.array(out);
    }

    private static byte[] upper(byte[] name) {
        return Args.str(name).toUpperCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    static byte[] num(long v) {
        return Numbers.formatLong(v);
    }
}
