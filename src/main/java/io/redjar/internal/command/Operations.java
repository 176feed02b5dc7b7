package io.redjar.internal.command;

import io.redjar.internal.Engine;
import io.redjar.internal.types.HashOps;
import io.redjar.internal.types.KeyOps;
import io.redjar.internal.types.ListOps;
import io.redjar.internal.types.SetOps;
import io.redjar.internal.types.StringOps;
import io.redjar.internal.types.ZSetOps;

/**
 * The type operations of one store, in one place: what a typed call's body receives from
 * {@link CallPath}. Typed handles hold no operations object of their own; they reach these only
 * inside a {@code CallPath.call(...)} lambda, so every typed call is gated, counted and followed
 * by the after-call work.
 *
 * <p><b>Thread-safety:</b> immutable; the operations are thread-safe.
 */
public final class Operations {
    private final Engine engine;
    private final StringOps strings;
    private final KeyOps keys;
    private final ListOps lists;
    private final HashOps hashes;
    private final SetOps sets;
    private final ZSetOps zsets;

    /** Builds the operations of {@code engine} (once, by the engine's call path). */
    public Operations(Engine engine) {
        this.engine = engine;
        this.strings = engine.strings();
        this.keys = engine.keys();
        this.lists = engine.lists();
        this.hashes = new HashOps(engine.keyspace(), engine.limits());
        this.sets = new SetOps(engine.keyspace(), engine.limits());
        this.zsets = ZSetOps.of(engine);
    }

    /** @return the engine (the blocking pops need it) */
    public Engine engine() {
        return engine;
    }

    /** @return the string commands */
    public StringOps strings() {
        return strings;
    }

    /** @return the generic key commands */
    public KeyOps keys() {
        return keys;
    }

    /** @return the list commands */
    public ListOps lists() {
        return lists;
    }

    /** @return the hash commands */
    public HashOps hashes() {
        return hashes;
    }

    /** @return the set commands */
    public SetOps sets() {
        return sets;
    }

    /** @return the sorted-set commands */
    public ZSetOps zsets() {
        return zsets;
    }

    /** @return the number of databases */
    public int databases() {
        return engine.keyspace().databases();
    }
}
