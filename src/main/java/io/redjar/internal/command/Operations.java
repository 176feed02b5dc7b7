package io.redjar.internal.command;

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
    private final CommandHost host;

    /** Wraps the store's one instance of each ops class (built by the composition root). */
    public Operations(CommandHost host) {
        this.host = host;
    }

    /** @return the store's services (the blocking pops need them) */
    public CommandHost engine() {
        return host;
    }

    /** @return the string commands */
    public StringOps strings() {
        return host.strings();
    }

    /** @return the bitmap commands */
    public io.redjar.internal.types.BitOps bits() {
        return host.bits();
    }

    /** @return the HyperLogLog commands */
    public io.redjar.internal.types.HllOps hll() {
        return host.hll();
    }

    /** @return the generic key commands */
    public KeyOps keys() {
        return host.keys();
    }

    /** @return DUMP / RESTORE */
    public io.redjar.internal.persistence.rdb.DumpOps dumps() {
        return host.dumps();
    }

    /** @return the list commands */
    public ListOps lists() {
        return host.lists();
    }

    /** @return the hash commands */
    public HashOps hashes() {
        return host.hashes();
    }

    /** @return the set commands */
    public SetOps sets() {
        return host.sets();
    }

    /** @return the sorted-set commands */
    public ZSetOps zsets() {
        return host.zsets();
    }

    /** @return the GEO commands */
    public io.redjar.internal.types.GeoOps geo() {
        return host.geo();
    }

    /** @return the number of databases */
    public int databases() {
        return host.keyspace().databases();
    }
}
