package io.redjar.internal;

import io.redjar.internal.command.ExecContext;

import java.util.Objects;
import java.util.function.Function;

/**
 * The one door from the public facade to its internals, for code of this project that needs them
 * (tests, and until it moves to {@code io.redjar.spi}, the RESP module): {@link #engine(Object)}
 * for a {@code Store}, {@link #context(Object)} for a {@code Session}. The public API itself
 * exposes no internal type ({@code PublicApiTest}).
 *
 * <p>The facade classes register their accessors from their static initialisers (a "shared
 * secrets" pattern), so this package does not depend on {@code io.redjar}'s facade and there is
 * no package cycle. The parameters are typed {@code Object} for the same reason; a wrong type is
 * an {@link IllegalArgumentException}.
 *
 * <p>Not part of the supported API: it may change in any release.
 *
 * <p><b>Thread-safety:</b> thread-safe (the accessors are set once, before any store or session
 * exists, and published through volatile fields).
 */
public final class Internals {
    private static volatile Function<Object, Engine> stores;
    private static volatile Function<Object, ExecContext> sessions;

    private Internals() {
    }

    /**
     * @param store a {@code io.redjar.Store}
     * @return its engine
     */
    public static Engine engine(Object store) {
        Objects.requireNonNull(store, "store");
        Function<Object, Engine> f = stores;
        Engine e = f == null ? null : f.apply(store);
        if (e == null) {
            throw new IllegalArgumentException("not a Store: " + store.getClass().getName());
        }
        return e;
    }

    /**
     * @param session a {@code io.redjar.Session}
     * @return its command context (selected database, protocol, client)
     */
    public static ExecContext context(Object session) {
        Objects.requireNonNull(session, "session");
        Function<Object, ExecContext> f = sessions;
        ExecContext c = f == null ? null : f.apply(session);
        if (c == null) {
            throw new IllegalArgumentException("not a Session: " + session.getClass().getName());
        }
        return c;
    }

    /**
     * Called once by {@code Store}'s static initialiser.
     *
     * @param accessor returns a store's engine, or null for an object that is not a store
     */
    public static void storeAccessor(Function<Object, Engine> accessor) {
        stores = Objects.requireNonNull(accessor, "accessor");
    }

    /**
     * Called once by {@code Session}'s static initialiser.
     *
     * @param accessor returns a session's context, or null for an object that is not a session
     */
    public static void sessionAccessor(Function<Object, ExecContext> accessor) {
        sessions = Objects.requireNonNull(accessor, "accessor");
    }
}
