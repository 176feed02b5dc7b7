package io.redjar.internal.script;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One sandboxed Lua state as Redis 7.0 presents it: LuaJ (Lua 5.2) dressed as Redis's Lua 5.1.
 * <b>This is the one place where script globals are built</b> ({@link #LuaSandbox(Consumer)}).
 *
 * <ul>
 *   <li>present: the base functions Redis keeps, {@code unpack}, {@code loadstring},
 *       {@code gcinfo}, {@code coroutine} (LuaJ runs each coroutine on a thread of its own), {@code table} (+ {@code table.getn}), {@code string}, {@code math}
 *       (+ {@code math.mod}), {@code redis} (installed by the caller), and the libraries the
 *       {@code libraries} hook adds (cjson, cmsgpack, bit, struct);</li>
 *   <li>absent: {@code getfenv}, {@code setfenv}, {@code newproxy}, {@code module},
 *       {@code require}, {@code package}, {@code dofile}, {@code loadfile}, {@code print},
 *       {@code os}, {@code io}, {@code debug}, {@code rawlen}, Java access; loading bytecode
 *       ({@code load}/{@code loadstring} of a {@code string.dump}) is refused as Redis's Lua
 *       does;</li>
 *   <li>{@code _G} and every library table are read-only (Redis 7.0's
 *       {@code lua_enablereadonlytable}): assigning a global raises
 *       {@code Attempt to modify a readonly table}, reading an undefined one
 *       {@code Script attempted to access nonexistent global variable 'x'};</li>
 *   <li>{@code tostring} of a number is C's {@code %.14g} as in Lua 5.1 ({@link LuaNumbers}).
 *       Not matched: the {@code ..} operator and {@code string.format("%s")} still use LuaJ's
 *       number-to-string (integral values print without exponent, e.g. {@code 2^53}).</li>
 * </ul>
 *
 * <p>Every closure compiled here runs with the sandbox's {@link ScriptHook} (interruptible).
 *
 * <p><b>Thread-safety:</b> a Lua state is not thread-safe: one script at a time (the runtime
 * holds every shard lock while one runs). {@link #compile} may run concurrently with a script
 * (it touches only the compiler).
 */
public final class LuaSandbox {
    /**
     * Live coroutines one script may hold at once. LuaJ runs every coroutine on a Java thread of
     * its own, so without a bound one script could exhaust the process's (and the machine's)
     * threads; Redis's C coroutines cost no thread, so it has no such limit.
     */
    static final int MAX_LIVE_COROUTINES = 1000;

    /** Base functions Redis 7.0 removes or never had in Lua 5.1. */
    private static final Set<String> REMOVED = Set.of("dofile", "loadfile", "print", "rawlen", "require",
        "package", "module", "getfenv", "setfenv", "newproxy", "collectgarbage");

    private final SandboxGlobals globals = new SandboxGlobals();
    private final ScriptHook hook = new ScriptHook();

    /**
     * Builds the globals, the {@code redis} table included. {@code libraries} adds the extra
     * libraries (cjson, cmsgpack, bit, struct: {@code LuaLibraries.installAll}) before the globals
     * are made read-only; it may be null.
     */
    public LuaSandbox(Consumer<Globals> libraries) {
        Globals g = globals;
        g.load(new BaseLib());
        g.load(new PackageLib());
        g.load(new TableLib());
        g.load(new StringLib());
        g.load(new JseMathLib());
        g.load(new org.luaj.vm2.lib.CoroutineLib());
        LoadState.install(g);
        LuaC.install(g);
        LuaValue baseTostring = g.get("tostring");
        LuaValue baseLoad = g.get("load");
        for (String name : REMOVED) {
            g.rawset(name, LuaValue.NIL);
        }
        g.rawset("_VERSION", LuaValue.valueOf("Lua 5.1"));
        g.rawset("collectgarbage", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                String opt = args.optjstring(1, "collect");
                return switch (opt) {
                    case "count" -> LuaValue.valueOf(Runtime.getRuntime().totalMemory() / 1024.0);
                    case "step" -> LuaValue.TRUE;
                    default -> LuaValue.ZERO;
                };
            }
        });
        g.rawset("tostring", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                if (v.type() == LuaValue.TNUMBER) {
                    return LuaValue.valueOf(LuaNumbers.tostring(v.todouble()));
                }
                return baseTostring.call(v);
            }
        });
        LuaValue load = new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaValue chunk = args.arg1();
                if (chunk.isstring() && chunk.checkstring().length() > 0 && chunk.checkstring().luaByte(0) == 27) {
                    // Redis's Lua refuses binary chunks: the parser sees the ESC byte
                    return LuaValue.varargsOf(LuaValue.NIL,
                        LuaValue.valueOf("[string \"\u001bLuaQ\"]:1: unexpected symbol near 'char(27)'"));
                }
                if (chunk.isfunction()) {
                    return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("loading from a function is not supported"));
                }
                return baseLoad.invoke(LuaValue.varargsOf(new LuaValue[] {chunk, args.optvalue(2, chunk), LuaValue.valueOf("t"), g}));
            }
        };
        g.rawset("load", load);
        g.rawset("loadstring", load);
        LuaValue basePcall = g.get("pcall");
        g.rawset("pcall", new VarArgFunction() {
            // Redis's luaRedisPcall: an error table with an err string is caught as that string
            @Override
            public Varargs invoke(Varargs args) {
                Varargs r = basePcall.invoke(args);
                if (!r.arg1().toboolean()) {
                    hook.clearError();
                }
                if (!r.arg1().toboolean() && r.arg(2).istable()) {
                    LuaValue err = r.arg(2).rawget("err");
                    if (err.isstring()) {
                        return LuaValue.varargsOf(LuaValue.FALSE, err);
                    }
                }
                return r;
            }
        });
        LuaValue baseRawset = g.get("rawset");
        g.rawset("rawset", new VarArgFunction() {
            // a C function: C Lua raises the read-only error without a position
            @Override
            public Varargs invoke(Varargs args) {
                try {
                    return baseRawset.invoke(args);
                } catch (LuaError e) {
                    if (LuaErrors.READONLY.equals(e.getMessage())) {
                        throw LuaErrors.bare(LuaErrors.READONLY);
                    }
                    throw e;
                }
            }
        });
        LuaValue table = g.get("table");
        g.rawset("unpack", table.get("unpack"));
        // Lua 5.1's table.concat: numbers as %.14g (LuaJ's wrote 3e-4 as "3.0E-4")
        table.set("concat", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaSandbox.concat(args);
            }
        });
        table.set("getn", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue t) {
                return LuaValue.valueOf(t.checktable().length());
            }
        });
        LuaValue math = g.get("math");
        math.set("mod", math.get("fmod"));
        g.rawset("gcinfo", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                Runtime rt = Runtime.getRuntime();
                return LuaValue.valueOf((int) ((rt.totalMemory() - rt.freeMemory()) / 1024));
            }
        });

        guardCoroutines(g);
        // Lua 5.1's string.format (LuaJ's ignores %f precision and formats %d in 32 bits)
        g.get("string").set("format", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaFormat.format(args);
            }
        });

        g.rawset("redis", RedisLib.create(hook));

        // ---- extra libraries: the one place they are installed (LuaLibraries.installAll(g)) ----
        if (libraries != null) {
            libraries.accept(g);
        }

        // every library table read-only, then the globals themselves
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = g.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            LuaValue v = n.arg(2);
            if (v.istable() && v != g && !(v instanceof ReadOnlyTable)) {
                ReadOnlyTable ro = ReadOnlyTable.copyOf(v);
                ro.lock();
                g.rawset(k, ro);
                if (k.tojstring().equals("string")) {
                    LuaTable meta = new LuaTable();
                    meta.set(LuaValue.INDEX, ro);
                    LuaString.s_metatable = meta;
                }
            }
        }
        g.rawset("_G", g);
        ReadOnlyTable meta = new ReadOnlyTable();
        meta.rawset(LuaValue.INDEX, new NonexistentGlobal());
        g.setmetatable(meta.lock());
        g.debuglib = hook;
        g.running.errorfunc = new ErrorHandler();
        globals.lock();
    }

    /** @return the globals (read-only once built) */
    public Globals globals() {
        return globals;
    }

    ScriptHook hook() {
        return hook;
    }

    /**
     * Compiles {@code body} as a chunk named {@code chunkName} (e.g. {@code "@user_script"}).
     *
     * @return the chunk's function, bound to this sandbox's globals
     * @throws LuaError with LuaJ's compiler message in C Lua's form ({@code user_script:1: ...})
     */
    public LuaFunction compile(byte[] body, String chunkName) {
        if (body.length > 0 && body[0] == 27) {
            throw new LuaError(chunkName.replace("@", "") + ": bad binary format (precompiled chunk)");
        }
        return new LuaClosure(prototype(body, chunkName), globals);
    }

    /**
     * LuaJ's compiler; its lexer lets a malformed number escape as a
     * {@link NumberFormatException}, turned here into C Lua's {@code malformed number near '1abc'}
     * at the line where the text first occurs.
     */
    private static Prototype prototype(byte[] body, String chunkName) {
        try {
            return LuaC.instance.compile(new ByteArrayInputStream(body), chunkName);
        } catch (IOException e) {
            throw new LuaError(e.getMessage());
        } catch (NumberFormatException e) {
            String text = e.getMessage() == null ? "" : e.getMessage().replaceFirst("^For input string: \"(.*)\"$", "$1");
            String src = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
            int at = src.indexOf(text);
            int line = 1;
            for (int i = 0; i < at; i++) {
                line += src.charAt(i) == '\n' ? 1 : 0;
            }
            throw new LuaError(chunkName.replace("@", "") + ":" + line + ": malformed number near '" + text + "'");
        }
    }

    /**
     * Compiles {@code body} against another environment of this sandbox (see
     * {@link #newEnvironment}): its global names resolve there.
     */
    public LuaFunction compile(byte[] body, String chunkName, Globals env) {
        if (!(env instanceof SandboxGlobals)) {
            throw new IllegalArgumentException("not an environment of a sandbox");
        }
        if (body.length > 0 && body[0] == 27) {
            throw new LuaError(chunkName.replace("@", "") + ": bad binary format (precompiled chunk)");
        }
        return new LuaClosure(prototype(body, chunkName), env);
    }

    /**
     * A new, empty, read-only global environment whose names resolve in {@code lookup.get()}
     * (read at every access, so the caller can switch it, as Redis's function engine switches
     * between the library-loading API and the full globals); an undefined name raises Redis's
     * nonexistent-global error. Functions compiled against it ({@link #compile(byte[], String,
     * Globals)}) run with this sandbox's hook (kill, timeouts, error positions) and error handler.
     */
    public Globals newEnvironment(java.util.function.Supplier<LuaTable> lookup) {
        SandboxGlobals env = new SandboxGlobals();
        ReadOnlyTable meta = new ReadOnlyTable();
        meta.rawset(LuaValue.INDEX, new org.luaj.vm2.lib.TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue table, LuaValue key) {
                LuaValue v = lookup.get().get(key);
                if (v.isnil()) {
                    throw new LuaError("Script attempted to access nonexistent global variable '" + key.tojstring() + "'");
                }
                return v;
            }
        });
        env.setmetatable(meta.lock());
        env.debuglib = hook;
        env.running.errorfunc = new ErrorHandler();
        env.lock();
        return env;
    }

    /**
     * Calls {@code fn} outside any script run (FUNCTION LOAD running a library's body), stopping
     * it with the error {@code timeoutError} (e.g. {@code "FUNCTION LOAD timeout"}) after
     * {@code timeoutMillis} (0: no limit). {@code redis.call} and friends raise
     * {@code redis.call/pcall can only be called inside a script invocation} meanwhile.
     *
     * @return what {@code fn} returned
     * @throws LuaError what {@code fn} raised, messages in C Lua's form
     */
    public Varargs callWithTimeout(LuaFunction fn, long timeoutMillis, String timeoutError) {
        hook.deadline(timeoutMillis <= 0 ? 0 : java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(timeoutMillis), timeoutError);
        try {
            return fn.invoke(LuaValue.NONE);
        } finally {
            hook.deadline(0, null);
        }
    }

    /** @return {@code [source, line]} of the last error raised in Lua code here, or null */
    public String[] errorPosition() {
        return hook.errorPosition();
    }

    /** The globals table: read-only once locked, with C Lua's error on an undefined read. */
    private static final class SandboxGlobals extends Globals {
        private boolean locked;

        void lock() {
            locked = true;
        }

        void trustedSet(String name, LuaValue value) {
            boolean was = locked;
            locked = false;
            try {
                super.rawset(LuaValue.valueOf(name), value);
            } finally {
                locked = was;
            }
        }

        @Override
        public void rawset(LuaValue key, LuaValue value) {
            if (locked) {
                throw new LuaError(LuaErrors.READONLY);
            }
            super.rawset(key, value);
        }

        @Override
        public void rawset(int key, LuaValue value) {
            if (locked) {
                throw new LuaError(LuaErrors.READONLY);
            }
            super.rawset(key, value);
        }

        @Override
        public LuaValue setmetatable(LuaValue metatable) {
            if (locked) {
                throw LuaErrors.bare(LuaErrors.READONLY);
            }
            return super.setmetatable(metatable);
        }
    }

    /** {@code __index} of the globals: Redis's {@code luaProtectedTableError}. */
    private static final class NonexistentGlobal extends org.luaj.vm2.lib.TwoArgFunction {
        @Override
        public LuaValue call(LuaValue table, LuaValue key) {
            throw new LuaError("Script attempted to access nonexistent global variable '" + key.tojstring() + "'");
        }
    }

    /** The coroutine's error function: rewrites LuaJ's position prefix in C Lua's form. */
    private final class ErrorHandler extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue msg) {
            hook.markError();
            return LuaValue.valueOf(LuaErrors.rewrite(msg.tojstring(), hook));
        }
    }


    /** Sets a global bypassing the read-only protection (KEYS and ARGV before an EVAL script runs). */
    void setTrusted(String name, LuaValue value) {
        globals.trustedSet(name, value);
    }

    /**
     * Replaces {@code coroutine.create} and {@code coroutine.wrap} with versions that count the
     * run's coroutines that are not dead and refuse a new one past {@link #MAX_LIVE_COROUTINES}.
     */
    private void guardCoroutines(Globals g) {
        LuaValue co = g.get("coroutine");
        co.set("create", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue f) {
                return newCoroutine(g, f);
            }
        });
        co.set("wrap", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue f) {
                org.luaj.vm2.LuaThread thread = newCoroutine(g, f);
                return new VarArgFunction() {
                    @Override
                    public Varargs invoke(Varargs args) {
                        Varargs r = thread.resume(args);
                        if (r.arg1().toboolean()) {
                            return r.subargs(2);
                        }
                        throw new LuaError(r.arg(2));
                    }
                };
            }
        });
    }

    private org.luaj.vm2.LuaThread newCoroutine(Globals g, LuaValue f) {
        f.checkfunction();
        java.util.ArrayList<org.luaj.vm2.LuaThread> live = hook.coroutines;
        if (live.size() >= MAX_LIVE_COROUTINES) {
            live.removeIf(t -> "dead".equals(t.getStatus()));
            if (live.size() >= MAX_LIVE_COROUTINES) {
                throw new LuaError("too many live coroutines in one script (RedJar's limit is " + MAX_LIVE_COROUTINES
                    + ": each runs on a thread)");
            }
        }
        org.luaj.vm2.LuaThread t = new org.luaj.vm2.LuaThread(g, f);
        live.add(t);
        return t;
    }

    /** {@code table.concat(t [, sep [, i [, j]]])} as Lua 5.1's {@code tconcat}. */
    static LuaValue concat(Varargs args) {
        LuaValue t = args.arg1();
        if (!t.istable()) {
            throw new LuaError("bad argument #1 to 'concat' (table expected, got " + (args.narg() == 0 ? "no value" : t.typename()) + ")");
        }
        LuaString sep = args.isnil(2) ? LuaValue.EMPTYSTRING : args.checkstring(2);
        long i = args.isnil(3) ? 1 : (long) args.checkdouble(3);
        long j = args.isnil(4) ? t.length() : (long) args.checkdouble(4);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (long k = i; k <= j; k++) {
            LuaValue v = t.get(LuaValue.valueOf((double) k));
            LuaString s;
            if (v.type() == LuaValue.TNUMBER) {
                s = LuaValue.valueOf(LuaNumbers.tostring(v.todouble()));
            } else if (v.type() == LuaValue.TSTRING) {
                s = v.checkstring();
            } else {
                throw new LuaError("invalid value (" + v.typename() + ") at index " + k + " in table for 'concat'");
            }
            out.write(s.m_bytes, s.m_offset, s.m_length);
            if (k < j) {
                out.write(sep.m_bytes, sep.m_offset, sep.m_length);
            }
        }
        return LuaString.valueUsing(out.toByteArray());
    }
}
