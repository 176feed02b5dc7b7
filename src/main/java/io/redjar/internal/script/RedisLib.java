package io.redjar.internal.script;

import io.redjar.Reply;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code redis} table scripts see (Redis 7.0's {@code luaRegisterRedisAPI}): {@code call},
 * {@code pcall}, {@code error_reply}, {@code status_reply}, {@code sha1hex}, {@code log} with the
 * {@code LOG_*} levels, {@code setresp}, {@code set_repl} with the {@code REPL_*} flags,
 * {@code replicate_commands}, {@code breakpoint} and {@code debug} (no-ops outside the debugger,
 * as in Redis), {@code REDIS_VERSION} and {@code REDIS_VERSION_NUM}.
 *
 * <p><b>Thread-safety:</b> the functions run on the thread running the script and reach its
 * {@link ScriptRun} through {@code current}.
 */
final class RedisLib {
    private static final Logger LOG = Logger.getLogger("io.redjar.script");
    /** The version scripts are told ({@code redis.REDIS_VERSION}). */
    static final String VERSION = "7.0.15";
    static final int VERSION_NUM = 0x07000f;

    private RedisLib() {
    }

    /** @return the {@code redis} table whose functions act on {@code current.get()} */
    static LuaTable create(ScriptHook hook) {
        Supplier<ScriptRun> current = hook::run;
        LuaTable r = new LuaTable();
        r.set("call", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return command(hook, args, true);
            }
        });
        r.set("pcall", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return command(hook, args, false);
            }
        });
        r.set("error_reply", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                if (v.type() != LuaValue.TSTRING) {
                    throw LuaErrors.raise("wrong number or type of arguments");
                }
                String e = v.tojstring();
                return LuaErrors.errorTable(e.startsWith("-") ? e : "-" + e);
            }
        });
        r.set("status_reply", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                if (v.type() != LuaValue.TSTRING) {
                    throw LuaErrors.raise("wrong number or type of arguments");
                }
                LuaTable t = new LuaTable();
                t.set("ok", v);
                return t;
            }
        });
        r.set("sha1hex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1) {
                    throw LuaErrors.raise("wrong number of arguments");
                }
                return LuaValue.valueOf(sha1hex(LuaReplies.bytes(args.arg1().checkstring())));
            }
        });
        r.set("log", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() < 2) {
                    throw LuaErrors.raise("redis.log() requires two arguments or more.");
                }
                if (!args.arg1().isnumber()) {
                    throw LuaErrors.raise("First argument must be a number (log level).");
                }
                int level = args.arg1().toint();
                if (level < 0 || level > 3) {
                    throw LuaErrors.raise("Invalid debug level.");
                }
                StringBuilder sb = new StringBuilder();
                for (int i = 2; i <= args.narg(); i++) {
                    if (i > 2) {
                        sb.append(' ');
                    }
                    sb.append(args.arg(i).tojstring());
                }
                LOG.log(level == 3 ? Level.WARNING : level == 2 ? Level.INFO : Level.FINE, sb.toString());
                return LuaValue.NONE;
            }
        });
        r.set("LOG_DEBUG", LuaValue.valueOf(0));
        r.set("LOG_VERBOSE", LuaValue.valueOf(1));
        r.set("LOG_NOTICE", LuaValue.valueOf(2));
        r.set("LOG_WARNING", LuaValue.valueOf(3));
        r.set("setresp", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1) {
                    throw LuaErrors.raise("redis.setresp() requires one argument.");
                }
                int resp = args.arg1().optint(0);
                if (resp != 2 && resp != 3) {
                    throw LuaErrors.raise("RESP version must be 2 or 3.");
                }
                ScriptRun run = current.get();
                if (run != null) {
                    run.resp(resp);
                }
                return LuaValue.NONE;
            }
        });
        r.set("set_repl", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1) {
                    throw LuaErrors.raise("redis.set_repl() requires one argument.");
                }
                int flags = args.arg1().optint(-1);
                if ((flags & ~3) != 0) {
                    throw LuaErrors.raise("Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
                }
                ScriptRun run = current.get();
                if (run != null) {
                    run.repl = flags;
                }
                return LuaValue.NONE;
            }
        });
        r.set("REPL_NONE", LuaValue.valueOf(0));
        r.set("REPL_AOF", LuaValue.valueOf(1));
        r.set("REPL_SLAVE", LuaValue.valueOf(2));
        r.set("REPL_REPLICA", LuaValue.valueOf(2));
        r.set("REPL_ALL", LuaValue.valueOf(3));
        r.set("replicate_commands", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                return LuaValue.TRUE;
            }
        });
        r.set("breakpoint", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                return LuaValue.FALSE;
            }
        });
        r.set("debug", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaValue.NONE;
            }
        });
        r.set("acl_check_cmd", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return aclCheckCmd(hook, args);
            }
        });
        r.set("REDIS_VERSION", LuaValue.valueOf(VERSION));
        r.set("REDIS_VERSION_NUM", LuaValue.valueOf(VERSION_NUM));
        return r;
    }

    /**
     * The arguments of a redis lib call as Redis takes them: strings as they are, numbers in
     * {@code %.17g}; null when one is neither (the caller raises Redis's error).
     */
    private static byte[][] commandArgs(Varargs args) {
        int n = args.narg();
        byte[][] argv = new byte[n][];
        for (int i = 0; i < n; i++) {
            LuaValue a = args.arg(i + 1);
            if (a.type() == LuaValue.TSTRING) {
                argv[i] = LuaReplies.bytes((LuaString) a);
            } else if (a.type() == LuaValue.TNUMBER) {
                argv[i] = LuaNumbers.g(a.todouble(), 17).getBytes(StandardCharsets.US_ASCII);
            } else {
                return null;
            }
        }
        return argv;
    }

    /** redis.call / redis.pcall: Redis's {@code luaRedisGenericCommand}. */
    private static Varargs command(ScriptHook hook, Varargs args, boolean raise) {
        ScriptRun run = hook.run();
        if (run == null) {
            throw LuaErrors.raise("redis.call/pcall can only be called inside a script invocation");
        }
        int n = args.narg();
        if (n == 0) {
            return fail(hook, "Please specify at least one argument for this redis lib call", raise);
        }
        byte[][] argv = commandArgs(args);
        if (argv == null) {
            return fail(hook, "Lua redis lib command arguments must be strings or integers", raise);
        }
        Reply reply = run.call(argv);
        LuaValue v = LuaReplies.toLua(reply, run.resp());
        if (raise && reply instanceof Reply.ErrorReply) {
            hook.markError();
            throw new LuaError(v);
        }
        return v;
    }

    /**
     * redis.acl_check_cmd(command, args...): whether the script's caller may run the command on
     * those arguments (Redis's {@code luaRedisAclCheckCmdPermissionsCommand}); an unknown command
     * raises an error.
     */
    private static Varargs aclCheckCmd(ScriptHook hook, Varargs args) {
        ScriptRun run = hook.run();
        if (run == null) {
            throw LuaErrors.raise("redis.acl_check_cmd can only be called inside a script invocation");
        }
        int n = args.narg();
        if (n == 0) {
            return fail(hook, "Please specify at least one argument for this redis lib call", true);
        }
        byte[][] argv = commandArgs(args);
        if (argv == null) {
            return fail(hook, "Lua redis lib command arguments must be strings or integers", true);
        }
        Boolean allowed = run.aclAllowed(argv);
        if (allowed == null) {
            return fail(hook, "Invalid command passed to redis.acl_check_cmd()", true);
        }
        return LuaValue.valueOf(allowed);
    }

    private static LuaValue fail(ScriptHook hook, String message, boolean raise) {
        LuaTable t = LuaErrors.errorTable(message);
        if (raise) {
            hook.markError();
            throw new LuaError(t);
        }
        return t;
    }

    /** @return the lower-case hex SHA1 of {@code data} */
    static String sha1hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
