package io.redjar.internal.script.function;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.script.LuaSandbox;
import io.redjar.internal.script.ScriptFlags;
import io.redjar.internal.script.ScriptRun;
import io.redjar.internal.script.ScriptRuntime;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

import java.util.concurrent.TimeUnit;

/**
 * The {@code LUA} function engine (Redis's {@code function_lua.c}) on the scripting runtime of
 * {@code io.redjar.internal.script}.
 *
 * <p>Design: the engine owns one sandboxed Lua state (not EVAL's) and one global environment
 * every library is compiled against ({@link LuaSandbox#newEnvironment}): empty, read-only, and
 * resolving names through a switch, as Redis swaps the {@code __index} of its globals' metatable.
 * During a load run the switch points at the <em>library API</em>: only
 * {@code redis.register_function}, {@code redis.log}, the {@code LOG_*} levels and
 * {@code REDIS_VERSION(_NUM)}; anything else raises Redis's "Script attempted to access
 * nonexistent global variable" error, and a load run over {@link FunctionRegistry#LOAD_TIMEOUT_MS}
 * raises {@code FUNCTION LOAD timeout} ({@link LuaSandbox#callWithTimeout}, Redis's
 * {@code luaEngineLoadHook}). Afterwards the switch points at the sandbox's full globals, so the
 * callbacks the library registered see the whole scripting API when FCALL runs them (through
 * {@link ScriptRuntime#run}, function style: {@code f(keys, args)}). The functions of all
 * libraries share the one state, as in Redis.
 *
 * <p><b>Thread-safety:</b> a load run changes the shared Lua state, so it must not overlap a
 * function run: {@link #create} is called by the registry holding every shard lock (the same
 * locks a run holds). {@link #call} goes through the runtime, which serializes runs.
 */
public final class LuaFunctionEngine implements FunctionEngine, ScriptActivity {
    /** Redis's {@code LUA_ENGINE_NAME}. */
    public static final String NAME = "LUA";
    private static final String READONLY = "Attempt to modify a readonly table";

    private final ScriptRuntime runtime;
    private final LuaSandbox sandbox;
    private final Globals env;
    private final ProtectedTable libraryApi;
    /** The library being loaded, or null outside a load run (set under every shard lock). */
    private volatile LibraryInfo loading;
    /** The command of each caller with an FCALL in flight (FUNCTION STATS shows the running one's). */
    private final java.util.concurrent.ConcurrentHashMap<ExecContext, byte[][]> callerArgv = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param runtime the scripting runtime FCALL runs functions through */
    public LuaFunctionEngine(ScriptRuntime runtime) {
        this.runtime = runtime;
        this.sandbox = runtime.newSandbox();
        Globals full = sandbox.globals();
        this.libraryApi = libraryApi(full.get("redis"));
        this.env = sandbox.newEnvironment(() -> loading != null ? libraryApi : full);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The load-time {@code redis} table and globals: Redis's {@code LIBRARY_API}. */
    private ProtectedTable libraryApi(LuaValue redis) {
        ProtectedTable r = new ProtectedTable();
        r.init("register_function", new RegisterFunction());
        for (String k : new String[] {"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING", "REDIS_VERSION", "REDIS_VERSION_NUM"}) {
            r.init(k, redis.get(k));
        }
        ProtectedTable api = new ProtectedTable();
        api.init("redis", r);
        return api;
    }

    @Override
    public void create(LibraryInfo library, byte[] body, long timeoutMs) {
        LuaFunction chunk;
        try {
            chunk = sandbox.compile(body, "@user_function", env);
        } catch (LuaError e) {
            throw new RedJarException("ERR Error compiling function: " + FunctionErrors.text(e));
        } catch (RuntimeException e) {
            // LuaJ's compiler lets a few malformed inputs escape as Java exceptions (a malformed
            // number: NumberFormatException); they are compile errors all the same
            throw new RedJarException("ERR Error compiling function: user_function: " + e.getMessage());
        }
        loading = library;
        try {
            sandbox.callWithTimeout(chunk, timeoutMs, "FUNCTION LOAD timeout");
        } catch (LuaError e) {
            throw new RedJarException("ERR Error registering functions: " + FunctionErrors.message(e));
        } catch (StackOverflowError e) {
            throw new RedJarException("ERR Error registering functions: ERR stack overflow");
        } finally {
            loading = null;
        }
    }

    @Override
    public Reply call(ExecContext ctx, FunctionInfo function, byte[][] argv, byte[][] keys, byte[][] args, boolean readOnly) {
        int flags = scriptFlags(function.flags()) | (readOnly ? ScriptFlags.NO_WRITES : 0);
        callerArgv.put(ctx, argv);
        try {
            return runtime.run(ctx, sandbox, (LuaFunction) function.callable(), function.name(), false, keys, args, flags);
        } finally {
            callerArgv.remove(ctx);
        }
    }

    /** @return the runtime's {@link ScriptFlags} for a function's {@link FunctionFlag} mask */
    static int scriptFlags(int functionFlags) {
        int f = 0;
        for (FunctionFlag flag : FunctionFlag.values()) {
            if (FunctionFlag.has(functionFlags, flag)) {
                f |= switch (flag) {
                    case NO_WRITES -> ScriptFlags.NO_WRITES;
                    case ALLOW_OOM -> ScriptFlags.ALLOW_OOM;
                    case ALLOW_STALE -> ScriptFlags.ALLOW_STALE;
                    case NO_CLUSTER -> ScriptFlags.NO_CLUSTER;
                    case ALLOW_CROSS_SLOT_KEYS -> ScriptFlags.ALLOW_CROSS_SLOT_KEYS;
                };
            }
        }
        return f;
    }

    @Override
    public Running running() {
        ScriptRun r = runtime.current();
        if (r == null) {
            return null;
        }
        byte[][] argv = r.eval() ? null : callerArgv.get(r.caller());
        return new Running(r.eval(), r.name(), argv == null ? new byte[0][] : argv,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - r.startNanos()));
    }

    @Override
    public Reply killFunction() {
        return runtime.kill(true);
    }

    /** {@code redis.register_function} (Redis's {@code luaRegisterFunction}). */
    private final class RegisterFunction extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs a) {
            LibraryInfo lib = loading;
            if (lib == null) {
                throw FunctionErrors.raise("redis.register_function can only be called on FUNCTION LOAD command");
            }
            int argc = a.narg();
            if (argc < 1 || argc > 2) {
                throw FunctionErrors.raise("wrong number of arguments to redis.register_function");
            }
            String name;
            byte[] desc = null;
            LuaValue callback = null;
            int flags = 0;
            if (argc == 2) {
                if (!a.arg(1).isstring()) {
                    throw FunctionErrors.raise("first argument to redis.register_function must be a string");
                }
                name = a.arg(1).tojstring();
                if (!a.arg(2).isfunction()) {
                    throw FunctionErrors.raise("second argument to redis.register_function must be a function");
                }
                callback = a.arg(2);
            } else {
                if (!a.arg1().istable()) {
                    throw FunctionErrors.raise("calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).");
                }
                name = null;
                LuaValue t = a.arg1();
                LuaValue k = LuaValue.NIL;
                while (true) {
                    Varargs n = t.next(k);
                    if ((k = n.arg1()).isnil()) {
                        break;
                    }
                    LuaValue v = n.arg(2);
                    if (!k.isstring()) {
                        throw FunctionErrors.raise("named argument key given to redis.register_function is not a string");
                    }
                    String key = k.tojstring();
                    if (key.equalsIgnoreCase("function_name")) {
                        if (!v.isstring()) {
                            throw FunctionErrors.raise("function_name argument given to redis.register_function must be a string");
                        }
                        name = v.tojstring();
                    } else if (key.equalsIgnoreCase("description")) {
                        if (!v.isstring()) {
                            throw FunctionErrors.raise("description argument given to redis.register_function must be a string");
                        }
                        org.luaj.vm2.LuaString s = v.checkstring();
                        desc = new byte[s.m_length];
                        s.copyInto(0, desc, 0, desc.length);
                    } else if (key.equalsIgnoreCase("callback")) {
                        if (!v.isfunction()) {
                            throw FunctionErrors.raise("callback argument given to redis.register_function must be a function");
                        }
                        callback = v;
                    } else if (key.equalsIgnoreCase("flags")) {
                        if (!v.istable()) {
                            throw FunctionErrors.raise("flags argument to redis.register_function must be a table representing function flags");
                        }
                        flags = readFlags(v);
                    } else {
                        throw FunctionErrors.raise("unknown argument given to redis.register_function");
                    }
                }
                if (name == null) {
                    throw FunctionErrors.raise("redis.register_function must get a function name argument");
                }
                if (callback == null) {
                    throw FunctionErrors.raise("redis.register_function must get a callback argument");
                }
            }
            try {
                lib.register(name, callback, desc, flags);
            } catch (RedJarException e) {
                throw FunctionErrors.raise(e.getMessage().substring("ERR ".length()));
            }
            return LuaValue.NONE;
        }

        private int readFlags(LuaValue t) {
            int flags = 0;
            for (int j = 1; ; j++) {
                LuaValue f = t.get(j);
                if (f.isnil()) {
                    return flags;
                }
                FunctionFlag flag = f.isstring() ? byName(f.tojstring()) : null;
                if (flag == null) {
                    throw FunctionErrors.raise("unknown flag given");
                }
                flags |= flag.bit();
            }
        }

        private FunctionFlag byName(String s) {
            for (FunctionFlag f : FunctionFlag.values()) {
                if (f.wire().equalsIgnoreCase(s)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** A table that cannot be written, whose missing keys raise Redis's nonexistent-global error. */
    static final class ProtectedTable extends LuaTable {
        private boolean locked;

        ProtectedTable() {
            LuaTable meta = new LuaTable();
            meta.rawset(LuaValue.INDEX, new TwoArgFunction() {
                @Override
                public LuaValue call(LuaValue table, LuaValue key) {
                    throw new LuaError("Script attempted to access nonexistent global variable '" + key.tojstring() + "'");
                }
            });
            super.setmetatable(meta);
            locked = true;
        }

        void init(String key, LuaValue value) {
            super.rawset(LuaValue.valueOf(key), value);
        }

        @Override
        public void rawset(LuaValue key, LuaValue value) {
            if (locked) {
                throw new LuaError(READONLY);
            }
            super.rawset(key, value);
        }

        @Override
        public void rawset(int key, LuaValue value) {
            throw new LuaError(READONLY);
        }

        @Override
        public LuaValue setmetatable(LuaValue metatable) {
            if (locked) {
                throw new LuaError(READONLY);
            }
            return super.setmetatable(metatable);
        }
    }
}
