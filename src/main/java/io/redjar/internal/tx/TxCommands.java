package io.redjar.internal.tx;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.internal.command.CommandTable;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.command.TxState;
import io.redjar.internal.keyspace.Keyspace;

import java.util.ArrayList;
import java.util.List;

import static io.redjar.internal.command.CommandFlag.ALLOW_BUSY;
import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.NOSCRIPT;
import static io.redjar.internal.command.CommandFlag.SKIP_SLOWLOG;
import static io.redjar.internal.command.CommandFlag.STALE;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeySpec.index;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH (Redis's {@code multi.c}). Queueing is the
 * {@link MultiGate}'s; EXEC runs the queue atomically and isolated from every other client and
 * typed call: it holds every shard lock (re-entrant, so the queued commands' own lock calls
 * re-enter) and wraps the queue's effects in one propagation batch, so consumers see the whole
 * transaction at once. Blocking commands inside EXEC do not block (they answer as timed out);
 * clients blocked on keys the transaction pushed to are served once, after EXEC, outside the
 * locks (the after-call work of EXEC's own call).
 *
 * <p><b>Thread-safety:</b> the handlers run on the session's thread; see {@link WatchRegistry}
 * and {@link TxState}.
 */
public final class TxCommands {
    private static final String GROUP = "transactions";
    private static final Reply EXECABORT = Reply.error(io.redjar.ErrorPrefix.EXECABORT, "Transaction discarded because of previous errors.");

    private TxCommands() {
    }

    /** Adds the five commands to {@code t}. */
    public static void register(CommandTable t, Keyspace ks, WatchRegistry watches) {
        t.add("multi", 1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY)
            .doc(GROUP, "Mark the start of a transaction block")
            .handler((c, a) -> {
                TxState tx = c.tx();
                if (tx.inMulti()) {
                    throw new RedJarException("ERR MULTI calls can not be nested");
                }
                tx.begin();
                return Reply.OK;
            });
        t.add("exec", 1).flags(NOSCRIPT, LOADING, STALE, SKIP_SLOWLOG)
            .doc(GROUP, "Execute all commands issued after MULTI")
            .handler((c, a) -> exec(c, ks, watches));
        t.add("discard", 1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY)
            .doc(GROUP, "Discard all commands issued after MULTI")
            .handler((c, a) -> {
                TxState tx = c.tx();
                if (!tx.inMulti()) {
                    throw new RedJarException("ERR DISCARD without MULTI");
                }
                tx.discard();
                return Reply.OK;
            });
        t.add("watch", -2).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY)
            .keySpecs(index(1).range(-1, 1, 0).flags(RO))
            .doc(GROUP, "Watch the given keys to determine execution of the MULTI/EXEC block")
            .handler((c, a) -> watch(c, a, ks, watches));
        t.add("unwatch", 1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY)
            .doc(GROUP, "Forget about all watched keys")
            .handler((c, a) -> {
                c.tx().unwatch();
                return Reply.OK;
            });
    }

    private static Reply watch(ExecContext c, byte[][] a, Keyspace ks, WatchRegistry watches) {
        TxState tx = c.tx();
        if (tx.inMulti()) {
            throw new RedJarException("ERR WATCH inside MULTI is not allowed");
        }
        if (tx.dirtyCas()) {
            return Reply.OK; // no point in watching: EXEC will fail anyway
        }
        int[] shards = ks.shardsOf(a, 1, a.length, 1);
        ks.lock(shards);
        try {
            for (int i = 1; i < a.length; i++) {
                watches.watch(tx, c.db(), a[i]);
            }
        } finally {
            ks.unlock(shards);
        }
        return Reply.OK;
    }

    private static Reply exec(ExecContext c, Keyspace ks, WatchRegistry watches) {
        TxState tx = c.tx();
        if (!tx.inMulti()) {
            throw new RedJarException("ERR EXEC without MULTI");
        }
        ks.lockAll();
        ks.propagation().beginBatch();
        try {
            if (watches.anyExpired(tx)) {
                tx.touched();
            }
            if (tx.dirtyExec()) {
                return EXECABORT;
            }
            if (tx.dirtyCas()) {
                return Reply.NULL_ARRAY;
            }
            tx.unwatch();
            tx.executing(true);
            int n = tx.queued();
            List<Reply> replies = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Reply denied = c.engine().access().exec(c, tx.spec(i), tx.argv(i)); // rules changed since queueing
                replies.add(denied != null ? denied : c.engine().dispatcher().callPath().runQueued(tx.spec(i), c, tx.argv(i)));
            }
            return Reply.array(replies);
        } finally {
            tx.discard();
            ks.propagation().endBatch();
            ks.unlockAll();
        }
    }
}
