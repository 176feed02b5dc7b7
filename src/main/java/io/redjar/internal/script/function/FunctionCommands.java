package io.redjar.internal.script.function;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.internal.command.CommandTable;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.util.Glob;
import io.redjar.internal.util.Numbers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import static io.redjar.internal.command.CommandFlag.ALLOW_BUSY;
import static io.redjar.internal.command.CommandFlag.DENYOOM;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.MAY_REPLICATE;
import static io.redjar.internal.command.CommandFlag.NOSCRIPT;
import static io.redjar.internal.command.CommandFlag.NO_MANDATORY_KEYS;
import static io.redjar.internal.command.CommandFlag.READONLY;
import static io.redjar.internal.command.CommandFlag.SKIP_MONITOR;
import static io.redjar.internal.command.CommandFlag.STALE;
import static io.redjar.internal.command.CommandFlag.WRITE;
import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeyFlag.RW;
import static io.redjar.internal.command.KeyFlag.UPDATE;
import static io.redjar.internal.command.KeySpec.index;

/**
 * FUNCTION LOAD/DELETE/LIST/FLUSH/DUMP/RESTORE/STATS/KILL/HELP, FCALL and FCALL_RO (Redis 7.0's
 * {@code functions.c} commands) over a {@link FunctionRegistry}. Argument parsing and every reply
 * and error follow Redis; the libraries are the registry's, the running of a function is its
 * engine's, the busy-script state is the {@link ScriptActivity}'s.
 *
 * <p><b>Thread-safety:</b> the handlers are stateless; see {@link FunctionRegistry}.
 */
public final class FunctionCommands {
    private static final String G = "scripting";
    private static final String[] HELP = {
        "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
        "      libraries with the new libraries (notice that even on this option there is a chance of failure",
        "      in case of functions name collision with another library).",
        "HELP",
        "    Prints this help.",
    };

    private FunctionCommands() {
    }

    /**
     * Adds FUNCTION and its subcommands, FCALL and FCALL_RO to {@code t}.
     *
     * @param activity the running-script state (read on each call, so the runtime may be
     *                 installed after the table is built)
     */
    public static void register(CommandTable t, FunctionRegistry registry, Supplier<ScriptActivity> activity, Keyspace ks) {
        t.add("function", -2).doc(G, "A container for function commands").handler((c, a) -> {
            throw new IllegalStateException("container command");
        });
        t.addSub("function", "load", -3).flags(NOSCRIPT, WRITE, DENYOOM)
            .tips("request_policy:all_shards", "response_policy:all_succeeded")
            .doc(G, "Create a function with the given arguments (name, code, description)")
            .handler((c, a) -> changing(ks, c, a, () -> load(registry, a)));
        t.addSub("function", "delete", 3).flags(NOSCRIPT, WRITE)
            .tips("request_policy:all_shards", "response_policy:all_succeeded")
            .doc(G, "Delete a function by name")
            .handler((c, a) -> changing(ks, c, a, () -> {
                registry.delete(LibraryMetadata.latin1(a[2]));
                return Reply.OK;
            }));
        t.addSub("function", "list", -2).flags(NOSCRIPT)
            .tips("nondeterministic_output_order")
            .doc(G, "List information about all the functions")
            .handler((c, a) -> list(registry, a));
        t.addSub("function", "flush", -2).flags(NOSCRIPT, WRITE)
            .tips("request_policy:all_shards", "response_policy:all_succeeded")
            .doc(G, "Deleting all functions")
            .handler((c, a) -> {
                if (a.length > 3) {
                    throw syntax(a);
                }
                if (a.length == 3 && !eq(a[2], "sync") && !eq(a[2], "async")) {
                    throw new RedJarException("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
                }
                return changing(ks, c, a, () -> {
                    registry.flush();
                    return Reply.OK;
                });
            });
        t.addSub("function", "dump", 2).flags(NOSCRIPT)
            .doc(G, "Dump all functions into a serialized binary payload")
            .handler((c, a) -> Reply.bulk(registry.dump()));
        t.addSub("function", "restore", -3).flags(NOSCRIPT, WRITE, DENYOOM)
            .tips("request_policy:all_shards", "response_policy:all_succeeded")
            .doc(G, "Restore all the functions on the given payload")
            .handler((c, a) -> restore(registry, ks, c, a));
        t.addSub("function", "stats", 2).flags(NOSCRIPT, ALLOW_BUSY)
            .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
            .doc(G, "Return information about the function currently running (name, description, duration)")
            .handler((c, a) -> stats(registry, activity.get()));
        t.addSub("function", "kill", 2).flags(NOSCRIPT, ALLOW_BUSY)
            .tips("request_policy:all_shards", "response_policy:one_succeeded")
            .doc(G, "Kill the function currently in execution.")
            .handler((c, a) -> activity.get().killFunction());
        t.addSub("function", "help", 2).flags(LOADING, STALE)
            .doc(G, "Show helpful text about the different subcommands")
            .handler((c, a) -> help());
        t.add("fcall", -3).flags(NOSCRIPT, SKIP_MONITOR, MAY_REPLICATE, NO_MANDATORY_KEYS, STALE)
            .keySpecs(index(2).keynum(0, 1, 1).flags(RW, ACCESS, UPDATE)
                .notes("We cannot tell how the keys will be used so we assume the worst, RW and UPDATE"))
            .getKeys(io.redjar.internal.command.GetKeysProc.NUMKEYS_AT_2)
            .doc(G, "Invoke a function")
            .handler((c, a) -> fcall(registry, c, a, false));
        t.add("fcall_ro", -3).flags(NOSCRIPT, SKIP_MONITOR, NO_MANDATORY_KEYS, STALE, READONLY)
            .keySpecs(index(2).keynum(0, 1, 1).flags(RO, ACCESS)
                .notes("We cannot tell how the keys will be used so we assume the worst, RO and ACCESS"))
            .getKeys(io.redjar.internal.command.GetKeysProc.NUMKEYS_AT_2)
            .doc(G, "Invoke a read-only function")
            .handler((c, a) -> fcall(registry, c, a, true));
    }

    private static boolean eq(byte[] arg, String word) {
        return new String(arg, StandardCharsets.ISO_8859_1).equalsIgnoreCase(word);
    }

    private static String str(byte[] arg) {
        int n = 0;
        while (n < arg.length && arg[n] != 0) {
            n++;
        }
        return new String(arg, 0, n, StandardCharsets.UTF_8);
    }

    /** Redis's {@code addReplySubcommandSyntaxError}. */
    private static RedJarException syntax(byte[][] a) {
        String sub = str(a[1]);
        if (sub.length() > 128) {
            sub = sub.substring(0, 128);
        }
        return new RedJarException("ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try "
            + str(a[0]).toUpperCase(Locale.ROOT) + " HELP.");
    }

    private static Reply load(FunctionRegistry registry, byte[][] a) {
        boolean replace = false;
        int pos = 2;
        while (pos < a.length - 1) {
            byte[] opt = a[pos++];
            if (eq(opt, "replace")) {
                replace = true;
                continue;
            }
            throw new RedJarException("ERR Unknown option given: " + str(opt));
        }
        String name = registry.load(a[pos], replace, FunctionRegistry.LOAD_TIMEOUT_MS);
        return Reply.bulk(name);
    }

    private static Reply list(FunctionRegistry registry, byte[][] a) {
        boolean withCode = false;
        byte[] pattern = null;
        for (int i = 2; i < a.length; i++) {
            if (!withCode && eq(a[i], "withcode")) {
                withCode = true;
                continue;
            }
            if (pattern == null && eq(a[i], "libraryname")) {
                if (i >= a.length - 1) {
                    throw new RedJarException("ERR library name argument was not given");
                }
                pattern = a[++i];
                continue;
            }
            throw new RedJarException("ERR Unknown argument " + str(a[i]));
        }
        List<Reply> libs = new ArrayList<>();
        for (LibraryInfo lib : registry.libraries()) {
            byte[] name = lib.name().getBytes(StandardCharsets.ISO_8859_1);
            if (pattern != null && !Glob.match(pattern, name, true)) {
                continue;
            }
            List<Reply> map = new ArrayList<>();
            map.add(Reply.bulk("library_name"));
            map.add(Reply.bulk(name));
            map.add(Reply.bulk("engine"));
            map.add(Reply.bulk(lib.engine().name()));
            map.add(Reply.bulk("functions"));
            List<Reply> fns = new ArrayList<>();
            for (FunctionInfo f : lib.functions()) {
                List<Reply> flags = new ArrayList<>();
                for (FunctionFlag flag : FunctionFlag.values()) {
                    if (f.has(flag)) {
                        flags.add(new Reply.SimpleString(flag.wire()));
                    }
                }
                fns.add(new Reply.Map(List.of(
                    Reply.bulk("name"), Reply.bulk(f.name()),
                    Reply.bulk("description"), f.description() == null ? Reply.NULL : Reply.bulk(f.description()),
                    Reply.bulk("flags"), new Reply.SetReply(flags))));
            }
            map.add(Reply.array(fns));
            if (withCode) {
                map.add(Reply.bulk("library_code"));
                map.add(Reply.bulk(lib.code()));
            }
            libs.add(new Reply.Map(map));
        }
        return Reply.array(libs);
    }

    /**
     * Runs a library change holding every shard lock and, when it succeeds, propagates the command
     * as the client sent it (Redis propagates FUNCTION LOAD/DELETE/FLUSH/RESTORE verbatim: replicas
     * and the AOF run the same change).
     */
    private static Reply changing(Keyspace ks, ExecContext c, byte[][] a, Supplier<Reply> change) {
        ks.lockAll();
        try {
            Reply r = change.get();
            ks.propagate(c.db(), a);
            return r;
        } finally {
            ks.unlockAll();
        }
    }

    private static Reply restore(FunctionRegistry registry, Keyspace ks, ExecContext c, byte[][] a) {
        if (a.length > 4) {
            throw syntax(a);
        }
        FunctionRegistry.RestorePolicy policy = FunctionRegistry.RestorePolicy.APPEND;
        if (a.length == 4) {
            if (eq(a[3], "append")) {
                policy = FunctionRegistry.RestorePolicy.APPEND;
            } else if (eq(a[3], "replace")) {
                policy = FunctionRegistry.RestorePolicy.REPLACE;
            } else if (eq(a[3], "flush")) {
                policy = FunctionRegistry.RestorePolicy.FLUSH;
            } else {
                throw new RedJarException("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
            }
        }
        FunctionRegistry.RestorePolicy p = policy;
        return changing(ks, c, a, () -> {
            registry.restore(a[2], p);
            return Reply.OK;
        });
    }

    private static Reply stats(FunctionRegistry registry, ScriptActivity activity) {
        ScriptActivity.Running running = activity.running();
        if (running != null && running.eval()) {
            throw new RedJarException(io.redjar.ErrorPrefix.BUSY,
                "Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
        }
        Reply runningReply = Reply.NULL;
        if (running != null) {
            List<Reply> argv = new ArrayList<>();
            for (byte[] arg : running.argv()) {
                argv.add(Reply.bulk(arg));
            }
            runningReply = new Reply.Map(List.of(
                Reply.bulk("name"), Reply.bulk(running.name()),
                Reply.bulk("command"), Reply.array(argv),
                Reply.bulk("duration_ms"), Reply.integer(running.durationMs())));
        }
        List<Reply> engines = new ArrayList<>();
        for (FunctionEngine e : registry.engines()) {
            engines.add(Reply.bulk(e.name()));
            engines.add(new Reply.Map(List.of(
                Reply.bulk("libraries_count"), Reply.integer(registry.libraryCount(e)),
                Reply.bulk("functions_count"), Reply.integer(registry.functionCount(e)))));
        }
        return new Reply.Map(List.of(
            Reply.bulk("running_script"), runningReply,
            Reply.bulk("engines"), new Reply.Map(engines)));
    }

    private static Reply help() {
        List<Reply> out = new ArrayList<>(HELP.length);
        for (String l : HELP) {
            out.add(new Reply.SimpleString(l));
        }
        return Reply.array(out);
    }

    /** FCALL / FCALL_RO (Redis's {@code fcallCommandGeneric}). */
    private static Reply fcall(FunctionRegistry registry, ExecContext c, byte[][] a, boolean ro) {
        io.redjar.internal.script.ScriptRuntime.feedMonitors(c, a);
        FunctionInfo f = registry.function(str(a[1]));
        if (f == null) {
            throw new RedJarException("ERR Function not found");
        }
        if (!Numbers.isLong(a[2])) {
            throw new RedJarException("ERR Bad number of keys provided");
        }
        long numkeys = Numbers.parseLong(a[2]);
        if (numkeys > a.length - 3) {
            throw new RedJarException("ERR Number of keys can't be greater than number of args");
        } else if (numkeys < 0) {
            throw new RedJarException("ERR Number of keys can't be negative");
        }
        if (ro && !f.has(FunctionFlag.NO_WRITES)) {
            throw new RedJarException("ERR Can not execute a script with write flag using *_ro command.");
        }
        int nk = (int) numkeys;
        byte[][] keys = Arrays.copyOfRange(a, 3, 3 + nk);
        byte[][] args = Arrays.copyOfRange(a, 3 + nk, a.length);
        LibraryInfo lib = registry.library(f.library());
        FunctionEngine engine = lib != null ? lib.engine() : registry.engines().get(0);
        return engine.call(c, f, a, keys, args, ro);
    }
}
