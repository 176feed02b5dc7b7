package io.redjar.internal.script.function;

import io.redjar.RedJarException;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One library (Redis's {@code functionLibInfo}): name, engine, the full code as loaded (shebang
 * included: what FUNCTION LIST WITHCODE, FUNCTION DUMP and the RDB writer store) and its
 * functions in registration order. An engine fills it through {@link #register} while it runs
 * the library's load code; the registry publishes it only once the load has succeeded, and never
 * changes it afterwards.
 *
 * <p><b>Thread-safety:</b> filled by one thread during the load run; effectively immutable once
 * published by {@link FunctionRegistry} (a volatile snapshot).
 */
public final class LibraryInfo {
    private final String name;
    private final FunctionEngine engine;
    private final byte[] code;
    private final Map<String, FunctionInfo> functions = new LinkedHashMap<>();

    LibraryInfo(String name, FunctionEngine engine, byte[] code) {
        this.name = name;
        this.engine = engine;
        this.code = code;
    }

    /** @return the library name */
    public String name() {
        return name;
    }

    /** @return the engine that runs the library */
    public FunctionEngine engine() {
        return engine;
    }

    /** @return the code as loaded, first line included (do not modify) */
    public byte[] code() {
        return code;
    }

    /** @return the functions, in registration order */
    public Collection<FunctionInfo> functions() {
        return Collections.unmodifiableCollection(functions.values());
    }

    /**
     * Registers a function (Redis's {@code functionLibCreateFunction}); called by the engine
     * during the load run.
     *
     * @throws RedJarException Redis's errors (without the {@code ERR } the engine's caller adds):
     *         the name rule (Redis words it about library names) and a duplicate in this library
     */
    public void register(String functionName, Object callable, byte[] description, int flags) {
        if (!LibraryMetadata.validName(functionName)) {
            throw new RedJarException("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        }
        if (functions.containsKey(functionName)) {
            throw new RedJarException("ERR Function already exists in the library");
        }
        functions.put(functionName, new FunctionInfo(functionName, description, flags, callable, name));
    }

    @Override
    public String toString() {
        return "LibraryInfo[" + name + ", " + engine.name() + ", " + functions.keySet() + "]";
    }
}
