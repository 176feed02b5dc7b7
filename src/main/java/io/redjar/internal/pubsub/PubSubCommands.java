package io.redjar.internal.pubsub;

import io.redjar.ErrorPrefix;
import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.internal.command.Args;
import io.redjar.internal.command.CommandTable;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.command.TxState;
import io.redjar.internal.server.ClientState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.MAY_REPLICATE;
import static io.redjar.internal.command.CommandFlag.NOSCRIPT;
import static io.redjar.internal.command.CommandFlag.PUBSUB;
import static io.redjar.internal.command.CommandFlag.STALE;
import static io.redjar.internal.command.KeyFlag.NOT_KEY;
import static io.redjar.internal.command.KeySpec.index;

/**
 * The pub/sub commands (Redis 7.0's {@code pubsub.c}): PUBLISH, SPUBLISH, (P|S)SUBSCRIBE,
 * (P|S)UNSUBSCRIBE and the PUBSUB container.
 *
 * <p>A (un)subscribe command answers with one frame per channel (a push: an array in RESP2,
 * {@code >} in RESP3): the handler hands the frames to {@link ExecContext#frames} and the network
 * connection sends them all ({@code io.redjar.spi.Result#replies}). Subscribing needs a network
 * connection; in-process code subscribes through {@code store.pubsub()}. Inside EXEC (where Redis
 * writes the frames into the EXEC array) the last frame is the command's element.
 *
 * <p><b>Thread-safety:</b> stateless; handlers run on their client's thread.
 */
public final class PubSubCommands {
    private static final String G = "pubsub";
    private static final String[] HELP = {
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        "HELP",
        "    Prints this help.",
    };

    private PubSubCommands() {
    }

    /** Adds the pub/sub commands, acting on {@code ps}, to {@code t}. */
    public static void register(CommandTable t, PubSub ps) {
        PubSubRegistry r = ps.registry();
        t.add("publish", 3).flags(PUBSUB, LOADING, STALE, FAST, MAY_REPLICATE).doc(G, "Post a message to a channel")
            .handler((c, a) -> Reply.integer(r.publish(a[1], a[2], false)));
        t.add("spublish", 3).flags(PUBSUB, LOADING, STALE, FAST, MAY_REPLICATE)
            .keySpecs(index(1).range(0, 1, 0).flags(NOT_KEY))
            .doc(G, "Post a message to a shard channel")
            .handler((c, a) -> Reply.integer(r.publish(a[1], a[2], true)));
        t.add("subscribe", -2).flags(PUBSUB, NOSCRIPT, LOADING, STALE)
            .doc(G, "Listen for messages published to the given channels")
            .handler((c, a) -> subscribe(c, a, ps, Kind.CHANNEL));
        t.add("psubscribe", -2).flags(PUBSUB, NOSCRIPT, LOADING, STALE)
            .doc(G, "Listen for messages published to channels matching the given patterns")
            .handler((c, a) -> subscribe(c, a, ps, Kind.PATTERN));
        t.add("ssubscribe", -2).flags(PUBSUB, NOSCRIPT, LOADING, STALE)
            .keySpecs(index(1).range(-1, 1, 0).flags(NOT_KEY))
            .doc(G, "Listen for messages published to the given shard channels")
            .handler((c, a) -> subscribe(c, a, ps, Kind.SHARD));
        t.add("unsubscribe", -1).flags(PUBSUB, NOSCRIPT, LOADING, STALE)
            .doc(G, "Stop listening for messages posted to the given channels")
            .handler((c, a) -> unsubscribe(c, a, ps, Kind.CHANNEL));
        t.add("punsubscribe", -1).flags(PUBSUB, NOSCRIPT, LOADING, STALE)
            .doc(G, "Stop listening for messages posted to channels matching the given patterns")
            .handler((c, a) -> unsubscribe(c, a, ps, Kind.PATTERN));
        t.add("sunsubscribe", -1).flags(PUBSUB, NOSCRIPT, LOADING, STALE)
            .keySpecs(index(1).range(-1, 1, 0).flags(NOT_KEY))
            .doc(G, "Stop listening for messages posted to the given shard channels")
            .handler((c, a) -> unsubscribe(c, a, ps, Kind.SHARD));

        t.add("pubsub", -2).doc(G, "A container for Pub/Sub commands").handler((c, a) -> {
            throw new IllegalStateException("container command");
        });
        t.addSub("pubsub", "channels", -2).flags(PUBSUB, LOADING, STALE).doc(G, "List active channels")
            .handler((c, a) -> channels(a, r, false));
        t.addSub("pubsub", "shardchannels", -2).flags(PUBSUB, LOADING, STALE).doc(G, "List active shard channels")
            .handler((c, a) -> channels(a, r, true));
        t.addSub("pubsub", "numsub", -2).flags(PUBSUB, LOADING, STALE).doc(G, "Get the count of subscribers for channels")
            .handler((c, a) -> numsub(a, r, false));
        t.addSub("pubsub", "shardnumsub", -2).flags(PUBSUB, LOADING, STALE)
            .doc(G, "Get the count of subscribers for shard channels")
            .handler((c, a) -> numsub(a, r, true));
        t.addSub("pubsub", "numpat", 2).flags(PUBSUB, LOADING, STALE)
            .doc(G, "Get the count of unique patterns pattern subscriptions")
            .handler((c, a) -> Reply.integer(r.patterns()));
        t.addSub("pubsub", "help", 2).flags(LOADING, STALE).doc(G, "Show helpful text about the different subcommands")
            .handler((c, a) -> {
                List<Reply> out = new ArrayList<>(HELP.length);
                for (String l : HELP) {
                    out.add(new Reply.SimpleString(l));
                }
                return Reply.array(out);
            });
    }

    private static ClientState networkClient(ExecContext c, Kind k) {
        ClientState cs = c.client();
        if (cs == null || cs.peer() == null) {
            throw new RedJarException(ErrorPrefix.ERR, k.subscribeWord.toUpperCase(Locale.ROOT)
                + " needs a network connection: in-process code subscribes with store.pubsub()");
        }
        return cs;
    }

    private static Reply frame(String word, byte[] name, int count) {
        return new Reply.Push(List.of(Reply.bulk(word), name == null ? Reply.NULL : new Reply.Bulk(name), Reply.integer(count)));
    }

    private static Reply subscribe(ExecContext c, byte[][] a, PubSub ps, Kind k) {
        TxState tx = c.txIfAny();
        if (k == Kind.SHARD && tx != null && tx.executing()) {
            // Redis: EXEC runs its commands as a DENY BLOCKING client; only (P)SUBSCRIBE is excused
            throw new RedJarException(ErrorPrefix.ERR, "SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
        }
        ClientSubscriber s = ps.subscriber(networkClient(c, k));
        List<Reply> frames = new ArrayList<>(a.length - 1);
        for (int i = 1; i < a.length; i++) {
            frames.add(frame(k.subscribeWord, a[i], ps.registry().subscribe(s, k, a[i])));
        }
        return answer(c, frames);
    }

    private static Reply unsubscribe(ExecContext c, byte[][] a, PubSub ps, Kind k) {
        ClientState cs = c.client();
        PubSubRegistry r = ps.registry();
        List<Reply> frames = new ArrayList<>();
        if (cs == null || cs.peer() == null || !cs.pubsubMode()) {
            // nothing to leave: each named channel, or the nil channel, with a count of 0
            if (a.length == 1) {
                frames.add(frame(k.unsubscribeWord, null, 0));
            }
            for (int i = 1; i < a.length; i++) {
                frames.add(frame(k.unsubscribeWord, a[i], 0));
            }
            return answer(c, frames);
        }
        ClientSubscriber s = ps.subscriber(cs);
        if (a.length == 1) {
            for (byte[] name : r.subscriptions(s, k)) {
                frames.add(frame(k.unsubscribeWord, name, r.unsubscribe(s, k, name)));
            }
            if (frames.isEmpty()) {
                frames.add(frame(k.unsubscribeWord, null, r.count(s, k)));
            }
        } else {
            for (int i = 1; i < a.length; i++) {
                frames.add(frame(k.unsubscribeWord, a[i], r.unsubscribe(s, k, a[i])));
            }
        }
        if (!cs.pubsubMode()) {
            ps.leaveAll(cs);
        }
        return answer(c, frames);
    }

    private static Reply answer(ExecContext c, List<Reply> frames) {
        TxState tx = c.txIfAny();
        if (frames.size() > 1 && (tx == null || !tx.executing())) {
            c.frames(frames);
        }
        return frames.get(frames.size() - 1);
    }

    private static Reply channels(byte[][] a, PubSubRegistry r, boolean sharded) {
        if (a.length > 3) {
            throw syntax(a);
        }
        List<Reply> out = new ArrayList<>();
        for (byte[] ch : r.channels(a.length == 3 ? a[2] : null, sharded)) {
            out.add(new Reply.Bulk(ch));
        }
        return Reply.array(out);
    }

    private static Reply numsub(byte[][] a, PubSubRegistry r, boolean sharded) {
        List<Reply> out = new ArrayList<>();
        for (int i = 2; i < a.length; i++) {
            out.add(new Reply.Bulk(a[i]));
            out.add(Reply.integer(r.numsub(a[i], sharded)));
        }
        return Reply.array(out);
    }

    private static RedJarException syntax(byte[][] a) {
        return new RedJarException(ErrorPrefix.ERR, "unknown subcommand or wrong number of arguments for '"
            + Args.str(a[1]) + "'. Try PUBSUB HELP.");
    }
}
