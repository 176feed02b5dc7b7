package io.redjar.internal.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One client's client-side-caching state (Redis's {@code CLIENT_TRACKING*} flags,
 * {@code client_tracking_redirection} and {@code client_tracking_prefixes}): whether tracking is
 * on, its mode (default or BCAST, OPTIN / OPTOUT, NOLOOP), the client its invalidations are
 * redirected to, its BCAST prefixes, the one-command {@code CLIENT CACHING} flag and whether the
 * redirection broke. The tracking table ({@code io.redjar.internal.tracking}) owns the logic; this
 * class only holds the state so that {@link ClientState} can show it (CLIENT LIST flags
 * {@code t}, {@code R}, {@code B} and {@code redir=}) and RESET / disconnect can turn it off
 * through {@link Owner}.
 *
 * <p><b>Thread-safety:</b> the fields are volatile: written by the client's own thread (CLIENT
 * TRACKING, CACHING) under the tracking table's lock, except {@link #brokenRedirect(boolean)},
 * set by writers' threads; read by writers' threads (under the table's lock) and by CLIENT LIST
 * from other clients (possibly slightly stale, as in Redis). The prefix list is changed and read
 * only under the tracking table's lock, or by the owner (TRACKINGINFO) through a copy.
 */
public final class ClientTracking {
    /** Who turns tracking off (the tracking table), for RESET and disconnect. */
    public interface Owner {
        /** Turns tracking off for {@code c} (Redis's {@code disableTracking}); nothing if it is off. */
        void disable(ClientState c);
    }

    private volatile boolean on;
    private volatile boolean bcast;
    private volatile boolean optin;
    private volatile boolean optout;
    private volatile boolean noloop;
    private volatile boolean caching;
    private volatile boolean brokenRedirect;
    private volatile long redirect;
    private volatile boolean awaitingReply;
    private volatile Owner owner;
    private final List<byte[]> prefixes = new ArrayList<>();

    public boolean on() {
        return on;
    }

    public boolean bcast() {
        return bcast;
    }

    public boolean optin() {
        return optin;
    }

    public boolean optout() {
        return optout;
    }

    public boolean noloop() {
        return noloop;
    }

    /** @return whether CLIENT CACHING (YES in OPTIN, NO in OPTOUT) applies to the next command */
    public boolean caching() {
        return caching;
    }

    public void caching(boolean c) {
        this.caching = c;
    }

    /**
     * @return whether the client runs a command or waits for the reply of a blocked one (BLMOVE
     *         ...): frames for it made by another client's command are written after that
     *         command, so after the reply of a blocked command that command served
     */
    public boolean awaitingReply() {
        return awaitingReply;
    }

    public void awaitingReply(boolean a) {
        this.awaitingReply = a;
    }

    /** @return whether an invalidation found the redirection client gone */
    public boolean brokenRedirect() {
        return brokenRedirect;
    }

    public void brokenRedirect(boolean b) {
        this.brokenRedirect = b;
    }

    /** @return the client id invalidations go to, 0 for the client's own connection */
    public long redirect() {
        return redirect;
    }

    /**
     * Turns tracking on with these options (Redis's {@code enableTracking}: the mode flags are
     * replaced, the broken-redirect mark cleared; the caching flag and prefixes stay).
     */
    public void enable(Owner by, long redirectTo, boolean bcastMode, boolean in, boolean out, boolean loop) {
        this.owner = by;
        this.redirect = redirectTo;
        this.bcast = bcastMode;
        this.optin = in;
        this.optout = out;
        this.noloop = loop;
        this.brokenRedirect = false;
        this.on = true;
    }

    /** Clears every flag (Redis's {@code disableTracking}); the prefixes are the owner's to clear. */
    public void clear() {
        on = false;
        bcast = false;
        optin = false;
        optout = false;
        noloop = false;
        caching = false;
        brokenRedirect = false;
    }

    /** @return the BCAST prefixes, live: use only under the tracking table's lock */
    public List<byte[]> prefixesLocked() {
        return prefixes;
    }

    /** @return the BCAST prefixes in Redis's (unsigned byte) order, a copy */
    public List<byte[]> prefixes() {
        List<byte[]> copy;
        Owner o = owner;
        synchronized (o == null ? this : o) {
            copy = new ArrayList<>(prefixes);
        }
        copy.sort(Arrays::compareUnsigned);
        return copy;
    }

    /** RESET / disconnect: turns tracking off through the table that turned it on. */
    public void disable(ClientState c) {
        Owner o = owner;
        if (o != null && on) {
            o.disable(c);
        }
    }

    /** CLIENT LIST flag letters ({@code t}, {@code R}, {@code B}) in Redis's order. */
    void flags(StringBuilder sb) {
        if (on) {
            sb.append('t');
        }
        if (brokenRedirect) {
            sb.append('R');
        }
        if (bcast) {
            sb.append('B');
        }
    }

    /** @return CLIENT LIST's {@code redir=}: the redirection when tracking is on, else -1 */
    long redirField() {
        return on ? redirect : -1;
    }
}
