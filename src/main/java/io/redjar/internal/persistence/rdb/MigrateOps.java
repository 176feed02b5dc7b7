package io.redjar.internal.persistence.rdb;

import io.redjar.ErrorPrefix;
import io.redjar.Reply;
import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.server.MigrateConnection;
import io.redjar.internal.server.MigrateSockets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * MIGRATE's work, as Redis 7.0's {@code migrateCommand} (cluster.c): the keys' DUMP payloads go to
 * the target as {@code RESTORE key ttl payload [REPLACE]} commands (after {@code AUTH} and
 * {@code SELECT} when needed) over a cached connection ({@link MigrateSockets}); each key the
 * target acknowledges is deleted here unless {@code COPY}, and those deletions are propagated as
 * one {@code DEL}. A failed exchange on a connection that may have gone stale is retried once on
 * a new connection, unless it timed out or the target already answered.
 *
 * <p><b>Atomicity.</b> The keys' shards stay locked from the lookup to the deletions, network round
 * trip included, so no other command sees or changes the keys in between: Redis gets the same
 * guarantee by blocking its only thread. Other shards are not affected.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call works under its keys' shard locks.
 */
public final class MigrateOps {
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);

    private final Keyspace ks;
    private final MigrateSockets sockets;
    private final BooleanSupplier compression;

    /** MIGRATE's parsed arguments. */
    public record Request(String host, int port, long db, long timeoutMs, boolean copy, boolean replace,
                          byte[] username, byte[] password, byte[][] keys) {
    }

    /** @param compression {@code rdbcompression}, for the payloads */
    public MigrateOps(Keyspace ks, MigrateSockets sockets, BooleanSupplier compression) {
        this.ks = ks;
        this.sockets = sockets;
        this.compression = compression;
    }

    /** Runs MIGRATE in database {@code db}; @return its reply (OK, NOKEY or an error reply). */
    public Reply migrate(int db, Request r) {
        int[] shards = ks.shardsOf(r.keys(), 0, r.keys().length, 1);
        ks.lock(shards);
        try {
            long now = ks.now();
            List<byte[]> keys = new ArrayList<>();
            for (byte[] k : r.keys()) {
                if (ks.lookup(ks.shardOf(k), db, k, Keyspace.hash(k), now, true) >= 0) {
                    keys.add(k);
                }
            }
            if (keys.isEmpty()) {
                return new Reply.SimpleString("NOKEY");
            }
            boolean mayRetry = true;
            while (true) {
                MigrateConnection c;
                try {
                    c = sockets.take(r.host(), r.port(), r.timeoutMs(), System.currentTimeMillis() / 1000); // wall time, as closeIdle
                } catch (IOException e) {
                    return Reply.error(ErrorPrefix.IOERR, "error or timeout connecting to the client");
                }
                Attempt a = exchange(db, r, keys, c);
                if (a.reply != null) {
                    return a.reply;
                }
                // socket error: retry once on a fresh connection (a cached one may have gone stale),
                // unless it timed out or the target had already processed something
                if (a.retryable && !c.timedOut() && mayRetry) {
                    mayRetry = false;
                    continue;
                }
                return Reply.error(ErrorPrefix.IOERR, "error or timeout " + (a.writeError ? "writing" : "reading")
                    + " to target instance");
            }
        } finally {
            ks.unlock(shards);
        }
    }

    /** The result of one try: a reply, or a socket error (then {@code reply} is null). */
    private record Attempt(Reply reply, boolean writeError, boolean retryable) {
        static Attempt of(Reply reply) {
            return new Attempt(reply, false, false);
        }

        static Attempt failed(boolean writeError, boolean retryable) {
            return new Attempt(null, writeError, retryable);
        }
    }

    private Attempt exchange(int db, Request r, List<byte[]> keys, MigrateConnection c) {
        long timeout = r.timeoutMs();
        ByteArrayOutputStream cmd = new ByteArrayOutputStream();
        boolean auth = r.password() != null;
        if (auth) {
            if (r.username() != null) {
                command(cmd, bytes("AUTH"), r.username(), r.password());
            } else {
                command(cmd, bytes("AUTH"), r.password());
            }
        }
        boolean select = c.lastDb() != r.db();
        if (select) {
            command(cmd, bytes("SELECT"), bytes(Long.toString(r.db())));
        }
        long now = ks.now();
        List<byte[]> sent = new ArrayList<>();
        boolean compress = compression.getAsBoolean();
        for (byte[] k : keys) {
            Shard s = ks.shardOf(k);
            int slot = ks.lookup(s, db, k, Keyspace.hash(k), now, false);
            if (slot < 0) {
                continue; // expired since the first lookup
            }
            long e = s.table(db).entry(slot);
            long ttl = 0;
            if (EntryDescriptor.hasExpire(e)) {
                ttl = Math.max(1, EntryDescriptor.expireAt(e) - now);
            }
            byte[] payload = DumpOps.payload(e, compress);
            if (r.replace()) {
                command(cmd, bytes("RESTORE"), k, bytes(Long.toString(ttl)), payload, bytes("REPLACE"));
            } else {
                command(cmd, bytes("RESTORE"), k, bytes(Long.toString(ttl)), payload);
            }
            sent.add(k);
        }
        if (!c.write(cmd.toByteArray(), timeout)) {
            sockets.discard(c);
            return Attempt.failed(true, true);
        }
        String authReply = null;
        if (auth && (authReply = c.readLine(timeout)) == null) {
            sockets.discard(c);
            return Attempt.failed(false, true);
        }
        String selectReply = null;
        if (select && (selectReply = c.readLine(timeout)) == null) {
            sockets.discard(c);
            return Attempt.failed(false, true);
        }
        Reply targetError = null;
        boolean socketError = false;
        List<byte[]> deleted = new ArrayList<>();
        int j = 0;
        for (; j < sent.size(); j++) {
            String line = c.readLine(timeout);
            if (line == null) {
                socketError = true;
                break;
            }
            String err = authReply != null && authReply.startsWith("-") ? authReply
                : selectReply != null && selectReply.startsWith("-") ? selectReply
                : line.startsWith("-") ? line : null;
            if (err != null) {
                if (targetError == null) {
                    c.lastDb(-1);
                    targetError = Reply.error(ErrorPrefix.ERR, "Target instance replied with error: " + err.substring(1));
                }
            } else if (!r.copy()) {
                byte[] k = sent.get(j);
                Shard s = ks.shardOf(k);
                int slot = ks.lookup(s, db, k, Keyspace.hash(k), now, false);
                if (slot >= 0) {
                    ks.delete(s, db, slot);
                    ks.modified(db, k, KeyEvent.DEL);
                }
                deleted.add(k);
            }
        }
        if (!deleted.isEmpty()) {
            byte[][] prop = new byte[deleted.size() + 1][];
            prop[0] = DEL;
            for (int i = 0; i < deleted.size(); i++) {
                prop[i + 1] = deleted.get(i);
            }
            ks.propagate(db, prop);
        }
        if (socketError) {
            sockets.discard(c);
            if (targetError != null) {
                return Attempt.of(targetError);
            }
            return Attempt.failed(false, j == 0); // retried only when nothing was processed yet
        }
        if (targetError == null) {
            c.lastDb(r.db());
        }
        sockets.give(c);
        return Attempt.of(targetError != null ? targetError : Reply.OK);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends one command in RESP: an array of bulk strings. */
    private static void command(ByteArrayOutputStream out, byte[]... argv) {
        out.writeBytes(bytes("*" + argv.length + "\r\n"));
        for (byte[] a : argv) {
            out.writeBytes(bytes("$" + a.length + "\r\n"));
            out.writeBytes(a);
            out.writeBytes(bytes("\r\n"));
        }
    }
}
