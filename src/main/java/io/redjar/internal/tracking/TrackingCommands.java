package io.redjar.internal.tracking;

import io.redjar.ErrorPrefix;
import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.command.Args;
import io.redjar.internal.command.CommandTable;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.server.ClientState;
import io.redjar.internal.server.ClientTracking;

import java.util.ArrayList;
import java.util.List;

import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.NOSCRIPT;
import static io.redjar.internal.command.CommandFlag.STALE;

/**
 * The client-side-caching subcommands of CLIENT (Redis 7.0's {@code clientCommand} in
 * {@code networking.c}): TRACKING (with every option check and error of 7.0), CACHING, GETREDIR
 * and TRACKINGINFO. The logic is the {@link TrackingTable}'s; this class parses and answers.
 *
 * <p><b>Thread-safety:</b> stateless; each handler runs on its client's thread.
 */
public final class TrackingCommands {
    private static final String G = "connection";

    private TrackingCommands() {
    }

    /** Adds CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO to {@code t} (after CLIENT itself). */
    public static void register(CommandTable t, TrackingTable table) {
        t.addSub("client", "tracking", -3).flags(NOSCRIPT, LOADING, STALE)
            .doc(G, "Enable or disable server assisted client side caching support")
            .handler((c, a) -> tracking(c, a, table));
        t.addSub("client", "caching", 3).flags(NOSCRIPT, LOADING, STALE)
            .doc(G, "Instruct the server about tracking or not keys in the next request")
            .handler(TrackingCommands::caching);
        t.addSub("client", "getredir", 2).flags(NOSCRIPT, LOADING, STALE)
            .doc(G, "Get tracking notifications redirection client ID if any")
            .handler((c, a) -> {
                ClientTracking tr = client(c).tracking();
                return Reply.integer(tr.on() ? tr.redirect() : -1);
            });
        t.addSub("client", "trackinginfo", 2).flags(NOSCRIPT, LOADING, STALE)
            .doc(G, "Return information about server assisted client side caching for the current connection")
            .handler((c, a) -> trackingInfo(client(c).tracking()));
    }

    private static ClientState client(ExecContext c) {
        ClientState cs = c.client();
        if (cs == null) {
            cs = c.engine().clients().embedded();
            c.client(cs);
        }
        return cs;
    }

    private static RedJarException err(String m) {
        return new RedJarException(ErrorPrefix.ERR, m);
    }

    private static Reply tracking(ExecContext c, byte[][] a, TrackingTable table) {
        ClientState cs = client(c);
        ClientTracking tr = cs.tracking();
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int j = 3; j < a.length; j++) {
            boolean more = j < a.length - 1;
            if (Args.is(a[j], "redirect") && more) {
                j++;
                if (redirect != 0) {
                    throw err("A client can only redirect to a single other client");
                }
                redirect = Args.parseLong(a[j]);
                // the redirection client must exist now (it may disconnect later)
                ClientState target = c.engine().clients().byId(redirect);
                if (target == null || target.isClosing()) {
                    throw err("The client ID you want redirect to does not exist");
                }
            } else if (Args.is(a[j], "bcast")) {
                bcast = true;
            } else if (Args.is(a[j], "optin")) {
                optin = true;
            } else if (Args.is(a[j], "optout")) {
                optout = true;
            } else if (Args.is(a[j], "noloop")) {
                noloop = true;
            } else if (Args.is(a[j], "prefix") && more) {
                j++;
                prefixes.add(a[j]);
            } else {
                throw new SyntaxException();
            }
        }
        if (Args.is(a[2], "on")) {
            if (!bcast && !prefixes.isEmpty()) {
                throw err("PREFIX option requires BCAST mode to be enabled");
            }
            if (tr.on() && tr.bcast() != bcast) {
                throw err("You can't switch BCAST mode on/off before disabling tracking for this client, and then "
                    + "re-enabling it with a different mode.");
            }
            if (bcast && (optin || optout)) {
                throw err("OPTIN and OPTOUT are not compatible with BCAST");
            }
            if (optin && optout) {
                throw err("You can't specify both OPTIN mode and OPTOUT mode");
            }
            if ((optin && tr.optout()) || (optout && tr.optin())) {
                throw err("You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then "
                    + "re-enabling it with a different mode.");
            }
            if (bcast) {
                String collision = table.prefixCollision(cs, prefixes);
                if (collision != null) {
                    throw new RedJarException(collision);
                }
            }
            table.enable(cs, redirect, bcast, optin, optout, noloop, prefixes);
        } else if (Args.is(a[2], "off")) {
            table.disable(cs);
        } else {
            throw new SyntaxException();
        }
        return Reply.OK;
    }

    private static Reply caching(ExecContext c, byte[][] a) {
        ClientTracking tr = client(c).tracking();
        if (!tr.on()) {
            throw err("CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled");
        }
        if (Args.is(a[2], "yes")) {
            if (!tr.optin()) {
                throw err("CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            }
        } else if (Args.is(a[2], "no")) {
            if (!tr.optout()) {
                throw err("CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            }
        } else {
            throw new SyntaxException();
        }
        tr.caching(true);
        return Reply.OK;
    }

    private static Reply trackingInfo(ClientTracking tr) {
        List<Reply> flags = new ArrayList<>();
        flags.add(Reply.bulk(tr.on() ? "on" : "off"));
        if (tr.bcast()) {
            flags.add(Reply.bulk("bcast"));
        }
        if (tr.optin()) {
            flags.add(Reply.bulk("optin"));
            if (tr.caching()) {
                flags.add(Reply.bulk("caching-yes"));
            }
        }
        if (tr.optout()) {
            flags.add(Reply.bulk("optout"));
            if (tr.caching()) {
                flags.add(Reply.bulk("caching-no"));
            }
        }
        if (tr.noloop()) {
            flags.add(Reply.bulk("noloop"));
        }
        if (tr.brokenRedirect()) {
            flags.add(Reply.bulk("broken_redirect"));
        }
        List<Reply> prefixes = new ArrayList<>();
        for (byte[] p : tr.prefixes()) {
            prefixes.add(Reply.bulk(p));
        }
        return new Reply.Map(List.of(
            Reply.bulk("flags"), new Reply.SetReply(flags),
            Reply.bulk("redirect"), Reply.integer(tr.on() ? tr.redirect() : -1),
            Reply.bulk("prefixes"), new Reply.ArrayReply(prefixes)));
    }
}
