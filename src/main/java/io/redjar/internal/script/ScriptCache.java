package io.redjar.internal.script;

import org.luaj.vm2.LuaFunction;

import java.util.concurrent.ConcurrentHashMap;

/**
 * EVAL's script cache (Redis's {@code lctx.lua_scripts}): SHA1 of the body → the body, its
 * compiled function and its shebang flags. Filled by EVAL and SCRIPT LOAD, emptied by SCRIPT
 * FLUSH.
 *
 * <p><b>Thread-safety:</b> thread-safe (a concurrent map of immutable entries).
 */
public final class ScriptCache {
    /** A cached script. */
    public record Entry(String sha, byte[] body, LuaSandbox sandbox, LuaFunction function, int flags) {
    }

    private final ConcurrentHashMap<String, Entry> scripts = new ConcurrentHashMap<>();

    /** @return the entry for {@code sha} (lower case), or null */
    public Entry get(String sha) {
        return scripts.get(sha);
    }

    void put(Entry e) {
        scripts.put(e.sha(), e);
    }

    /** @return the number of cached scripts ({@code number_of_cached_scripts}) */
    public int size() {
        return scripts.size();
    }

    /** @return the bytes of the cached bodies ({@code used_memory_scripts_eval}, roughly) */
    public long bodyBytes() {
        long n = 0;
        for (Entry e : scripts.values()) {
            n += e.body().length;
        }
        return n;
    }

    void clear() {
        scripts.clear();
    }
}
