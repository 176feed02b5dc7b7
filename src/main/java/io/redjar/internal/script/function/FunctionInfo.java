package io.redjar.internal.script.function;

/**
 * One registered function (Redis's {@code functionInfo}): its name, optional description, flags,
 * the library it belongs to and the engine's compiled callable.
 *
 * @param name        the function name ({@code [a-zA-Z0-9_]+})
 * @param description the description given at registration, or null
 * @param flags       a mask of {@link FunctionFlag#bit()}s
 * @param callable    the engine's handle for the function (e.g. a Lua closure)
 * @param library     the name of the library that registered it
 *
 * <p><b>Thread-safety:</b> immutable; the callable is the engine's to guard.
 */
public record FunctionInfo(String name, byte[] description, int flags, Object callable, String library) {

    /** @return whether the function declared {@code flag} */
    public boolean has(FunctionFlag flag) {
        return FunctionFlag.has(flags, flag);
    }
}
