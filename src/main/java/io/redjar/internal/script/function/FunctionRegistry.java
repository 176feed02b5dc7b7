package io.redjar.internal.script.function;

import io.redjar.RedJarException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The store's function libraries (Redis's {@code functionsLibCtx} and the library half of
 * {@code functions.c}): load with and without REPLACE, delete, flush, restore with the FLUSH,
 * APPEND and REPLACE policies, and the lookup FCALL does.
 *
 * <p>Design: the libraries and the function index are one immutable {@link State}, replaced as a
 * whole by every change (copy on write). A change is atomic (a failed load or restore leaves the
 * previous state untouched, as Redis's unlink/relink does) and readers (FCALL, FUNCTION LIST,
 * DUMP) read one volatile snapshot without locking, so a slow library load never stalls a
 * function call. Libraries are case-sensitive by name; functions are looked up
 * case-insensitively across libraries (Redis's {@code functionDictType}), but are unique per
 * library case-sensitively. Libraries are listed in load order (Redis lists them in hash order,
 * which is not deterministic).
 *
 * <p>Persistence seam: {@link #libraryCodes()} is what an RDB writer stores (one
 * {@code RDB_OPCODE_FUNCTION2} string per library, see {@link FunctionPayload}) and an AOF
 * rewrite turns into {@code FUNCTION LOAD}s; {@link #loadLibraries(List, boolean)} is what an RDB
 * loader calls with the codes it read (no load time limit, as Redis loads from RDB).
 *
 * <p><b>Thread-safety:</b> thread-safe: changes are serialised on this object; reads are
 * lock-free over a volatile snapshot.
 */
public final class FunctionRegistry {
    /** Redis's {@code LOAD_TIMEOUT_MS}: the time limit of FUNCTION LOAD's load run. */
    public static final long LOAD_TIMEOUT_MS = 500;

    /** How FUNCTION RESTORE treats libraries that exist already. */
    public enum RestorePolicy {
        /** Delete every existing library first. */
        FLUSH,
        /** Add the libraries; a name collision aborts (the default). */
        APPEND,
        /** Add the libraries, replacing same-named ones; a function collision still aborts. */
        REPLACE
    }

    /** Libraries by name (load order) and functions by lower-cased name. */
    private record State(Map<String, LibraryInfo> libraries, Map<String, FunctionInfo> functions) {
        static final State EMPTY = new State(Map.of(), Map.of());

        Mutable copy() {
            return new Mutable(new LinkedHashMap<>(libraries), new HashMap<>(functions));
        }
    }

    private record Mutable(LinkedHashMap<String, LibraryInfo> libraries, HashMap<String, FunctionInfo> functions) {
        State freeze() {
            return new State(Collections.unmodifiableMap(libraries), Collections.unmodifiableMap(functions));
        }

        void unlink(LibraryInfo lib) {
            for (FunctionInfo f : lib.functions()) {
                functions.remove(key(f.name()));
            }
            libraries.remove(lib.name());
        }

        void link(LibraryInfo lib) {
            for (FunctionInfo f : lib.functions()) {
                functions.putIfAbsent(key(f.name()), f);
            }
            libraries.put(lib.name(), lib);
        }
    }

    private final Map<String, FunctionEngine> engines = new LinkedHashMap<>();
    private final Runnable lockWorld;
    private final Runnable unlockWorld;
    private volatile State state = State.EMPTY;

    /** A registry whose changes take no lock beyond its own (tests, tools). */
    public FunctionRegistry() {
        this(() -> { }, () -> { });
    }

    /**
     * @param lockWorld   takes the locks a function run holds (the store: every shard lock);
     *                    every change takes them first, then this registry's monitor, so a load
     *                    run never overlaps a function run and the lock order is the same for a
     *                    change made inside EXEC (which already holds every shard lock)
     * @param unlockWorld releases them
     */
    public FunctionRegistry(Runnable lockWorld, Runnable unlockWorld) {
        this.lockWorld = lockWorld;
        this.unlockWorld = unlockWorld;
    }

    private <T> T change(java.util.function.Supplier<T> body) {
        lockWorld.run();
        try {
            synchronized (this) {
                return body.get();
            }
        } finally {
            unlockWorld.run();
        }
    }

    /** Registers an engine (at store start, before any load). */
    public synchronized void registerEngine(FunctionEngine engine) {
        if (engines.putIfAbsent(engine.name().toLowerCase(Locale.ROOT), engine) != null) {
            throw new IllegalStateException("engine registered twice: " + engine.name());
        }
    }

    /** @return the registered engines, in registration order */
    public synchronized List<FunctionEngine> engines() {
        return List.copyOf(engines.values());
    }

    private static String key(String functionName) {
        return functionName.toLowerCase(Locale.ROOT);
    }

    /**
     * FUNCTION LOAD: compiles {@code code} and adds its library.
     *
     * @param replace   whether an existing library of the same name is replaced
     * @param timeoutMs the load run's time limit (0: none)
     * @return the library name
     * @throws RedJarException with Redis's error; the registry is then unchanged
     */
    public String load(byte[] code, boolean replace, long timeoutMs) {
        return change(() -> {
            Mutable m = state.copy();
            String name = create(m, code, replace, timeoutMs);
            state = m.freeze();
            return name;
        });
    }

    /** Redis's {@code functionsCreateWithLibraryCtx} over a mutable copy. */
    private String create(Mutable m, byte[] code, boolean replace, long timeoutMs) {
        LibraryMetadata md = LibraryMetadata.parse(code);
        if (!LibraryMetadata.validName(md.name())) {
            throw new RedJarException("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        }
        FunctionEngine engine = engines.get(md.engine().toLowerCase(Locale.ROOT));
        if (engine == null) {
            throw new RedJarException("ERR Engine '" + md.engine() + "' not found");
        }
        LibraryInfo old = m.libraries().get(md.name());
        if (old != null && !replace) {
            throw new RedJarException("ERR Library '" + md.name() + "' already exists");
        }
        if (old != null) {
            m.unlink(old);
        }
        LibraryInfo lib = new LibraryInfo(md.name(), engine, code);
        engine.create(lib, md.body(), timeoutMs);
        if (lib.functions().isEmpty()) {
            throw new RedJarException("ERR No functions registered");
        }
        for (FunctionInfo f : lib.functions()) {
            if (m.functions().containsKey(key(f.name()))) {
                throw new RedJarException("ERR Function " + f.name() + " already exists");
            }
        }
        m.link(lib);
        return md.name();
    }

    /**
     * FUNCTION DELETE.
     *
     * @throws RedJarException {@code ERR Library not found}
     */
    public void delete(String libraryName) {
        change(() -> {
            LibraryInfo lib = state.libraries().get(libraryName);
            if (lib == null) {
                throw new RedJarException("ERR Library not found");
            }
            Mutable m = state.copy();
            m.unlink(lib);
            state = m.freeze();
            return null;
        });
    }

    /** FUNCTION FLUSH (SYNC and ASYNC alike: the old state is left to the garbage collector). */
    public void flush() {
        change(() -> {
            state = State.EMPTY;
            return null;
        });
    }

    /** @return FUNCTION DUMP's payload */
    public byte[] dump() {
        return FunctionPayload.encode(libraryCodes());
    }

    /**
     * FUNCTION RESTORE.
     *
     * @throws RedJarException with Redis's error; the registry is then unchanged
     */
    public void restore(byte[] payload, RestorePolicy policy) {
        List<byte[]> codes = FunctionPayload.decode(payload);
        change(() -> {
            join(codes, policy);
            return null;
        });
    }

    /**
     * Persistence seam: adds the libraries an RDB (or any other snapshot) holds, as Redis's
     * {@code rdbFunctionLoad} does (no load time limit).
     *
     * @param replace whether libraries that exist already are replaced ({@code RDBFLAGS_ALLOW_DUP});
     *                otherwise a collision aborts and nothing is added
     */
    public void loadLibraries(List<byte[]> codes, boolean replace) {
        change(() -> {
            join(codes, replace ? RestorePolicy.REPLACE : RestorePolicy.APPEND);
            return null;
        });
    }

    private void join(List<byte[]> codes, RestorePolicy policy) {
        Mutable fresh = State.EMPTY.copy();
        for (byte[] code : codes) {
            create(fresh, code, false, 0);
        }
        if (policy == RestorePolicy.FLUSH) {
            state = fresh.freeze();
            return;
        }
        Mutable m = state.copy();
        for (LibraryInfo lib : fresh.libraries().values()) {
            LibraryInfo old = m.libraries().get(lib.name());
            if (old != null) {
                if (policy != RestorePolicy.REPLACE) {
                    throw new RedJarException("ERR Library " + lib.name() + " already exists");
                }
                m.unlink(old);
            }
        }
        for (FunctionInfo f : fresh.functions().values()) {
            if (m.functions().containsKey(key(f.name()))) {
                throw new RedJarException("ERR Function " + f.name() + " already exists");
            }
        }
        for (LibraryInfo lib : fresh.libraries().values()) {
            m.link(lib);
        }
        state = m.freeze();
    }

    /** @return the function FCALL names ({@code name} is matched case-insensitively), or null */
    public FunctionInfo function(String name) {
        return state.functions().get(key(name));
    }

    /** @return the library named exactly {@code name}, or null */
    public LibraryInfo library(String name) {
        return state.libraries().get(name);
    }

    /** @return every library, in load order (one snapshot) */
    public Collection<LibraryInfo> libraries() {
        return state.libraries().values();
    }

    /** Persistence seam: the code of every library, in load order (what RDB and DUMP store). */
    public List<byte[]> libraryCodes() {
        List<byte[]> codes = new ArrayList<>();
        for (LibraryInfo lib : state.libraries().values()) {
            codes.add(lib.code());
        }
        return codes;
    }

    /** @return the number of libraries of {@code engine} */
    public long libraryCount(FunctionEngine engine) {
        return state.libraries().values().stream().filter(l -> l.engine() == engine).count();
    }

    /** @return the number of functions of {@code engine}'s libraries */
    public long functionCount(FunctionEngine engine) {
        return state.libraries().values().stream().filter(l -> l.engine() == engine).mapToLong(l -> l.functions().size()).sum();
    }

    /** @return the number of functions (INFO's {@code functions}) */
    public int functionCount() {
        return state.functions().size();
    }
}
