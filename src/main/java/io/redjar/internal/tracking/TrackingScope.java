package io.redjar.internal.tracking;

import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.KeyRefs;
import io.redjar.internal.server.ClientState;

import java.util.ArrayList;
import java.util.List;

/**
 * What client tracking knows of the command running on the current thread: Redis's
 * {@code server.current_client} (the client whose top-level command runs here), whether a
 * command handler is running ({@code server.fixed_time_expire}: invalidations of the running
 * client's own keys are then held back until after its reply), the held-back keys
 * ({@code server.tracking_pending_keys}) and the stack of the client's own (non-script) commands,
 * whose keys a script's read command makes the client remember.
 *
 * <p><b>Thread-safety:</b> one per thread ({@link #get()}), used by that thread only.
 */
final class TrackingScope {
    private static final ThreadLocal<TrackingScope> SCOPE = ThreadLocal.withInitial(TrackingScope::new);

    /** The client whose top-level command this thread runs, or null. */
    ClientState current;
    /** Handlers running (nested: EXEC, scripts). */
    int depth;
    /** Script calls running ({@code redis.call}): their writes are the script client's, not the caller's. */
    int scriptDepth;
    /** Keys whose invalidation for {@link #current} waits for its reply; a null element: every key (flush). */
    final List<byte[]> pending = new ArrayList<>();
    /** Frames for clients awaiting a blocked command's reply, written after this thread's command. */
    final List<Object[]> post = new ArrayList<>();
    /**
     * Keys the running read put in the table for {@link #current} before its handler ran (they
     * were not there): their invalidation by the read itself (a lazy expiry) is no change the
     * client could have cached, so it is not sent, as in Redis, where the key is remembered after.
     */
    final List<byte[]> provisional = new ArrayList<>();
    /** Reused by key extraction. */
    final KeyRefs refs = new KeyRefs();
    private CommandSpec[] specs = new CommandSpec[4];
    private byte[][][] argvs = new byte[4][][];
    private ClientState[] clients = new ClientState[4];
    private int frames;

    static TrackingScope get() {
        return SCOPE.get();
    }

    /** Pushes a client's own command (not a script's). */
    void push(CommandSpec spec, byte[][] argv, ClientState client) {
        if (frames == specs.length) {
            specs = java.util.Arrays.copyOf(specs, frames * 2);
            argvs = java.util.Arrays.copyOf(argvs, frames * 2);
            clients = java.util.Arrays.copyOf(clients, frames * 2);
        }
        specs[frames] = spec;
        argvs[frames] = argv;
        clients[frames] = client;
        frames++;
    }

    void pop() {
        frames--;
        specs[frames] = null;
        argvs[frames] = null;
        clients[frames] = null;
    }

    /** @return the innermost own command (a script's caller: EVAL, FCALL...), or null */
    CommandSpec topSpec() {
        return frames == 0 ? null : specs[frames - 1];
    }

    byte[][] topArgv() {
        return argvs[frames - 1];
    }

    ClientState topClient() {
        return clients[frames - 1];
    }
}
