package io.redjar.spi;

import io.redjar.Reply;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link Connection#execute} asks the front end to do: send a reply now (and possibly flush
 * at once, or close after it), send nothing, or send a reply later.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class Result {
    private static final Result NONE = new Result((Reply) null, null, false, false);
    private CompletableFuture<?> retry;

    private final java.util.List<Reply> replies;
    private final Reply reply;
    private final CompletableFuture<Reply> later;
    private final boolean flush;
    private final boolean close;

    private Result(Reply reply, CompletableFuture<Reply> later, boolean flush, boolean close) {
        this(reply == null ? java.util.List.of() : java.util.List.of(reply), later, flush, close);
    }

    private Result(java.util.List<Reply> replies, CompletableFuture<Reply> later, boolean flush, boolean close) {
        this.replies = replies;
        this.reply = replies.isEmpty() ? null : replies.get(0);
        this.later = later;
        this.flush = flush;
        this.close = close;
    }

    /** @return send {@code reply} (with the replies of the same read, pipelined) */
    public static Result reply(Reply reply) {
        return new Result(Objects.requireNonNull(reply, "reply"), null, false, false);
    }

    /** @return send {@code reply} and flush at once (MONITOR: its +OK must precede the feed) */
    public static Result replyAndFlush(Reply reply) {
        return new Result(Objects.requireNonNull(reply, "reply"), null, true, false);
    }

    /** @return send {@code reply} (even under CLIENT REPLY OFF), then close the connection (QUIT) */
    public static Result replyAndClose(Reply reply) {
        return new Result(Objects.requireNonNull(reply, "reply"), null, true, true);
    }

    /**
     * @return send every one of {@code replies}, in order, as separate frames (SUBSCRIBE a b:
     *         one confirmation per channel)
     */
    public static Result replies(java.util.List<Reply> replies) {
        if (replies.isEmpty()) {
            throw new IllegalArgumentException("no replies");
        }
        return new Result(java.util.List.copyOf(replies), null, false, false);
    }

    /** @return send nothing (CLIENT REPLY OFF / SKIP) */
    public static Result none() {
        return NONE;
    }

    /**
     * @return send what {@code future} completes with (null: nothing), holding back later replies
     *         until then (a blocking command)
     */
    public static Result later(CompletableFuture<Reply> future) {
        return new Result((Reply) null, Objects.requireNonNull(future, "future"), false, false);
    }

    /**
     * @return the command did not run (CLIENT PAUSE holds it): send nothing, hold back the
     *         connection's later commands, and submit this same command again once {@code until}
     *         completes (Redis's {@code BLOCKED_POSTPONE})
     */
    public static Result postponed(CompletableFuture<?> until) {
        Result r = new Result((Reply) null, null, false, false);
        r.retry = Objects.requireNonNull(until, "until");
        return r;
    }

    /** @return for a {@link #postponed} command, when to submit it again; else null */
    public CompletableFuture<?> retry() {
        return retry;
    }

    /** @return the reply to send now (the first of {@link #replies()} when there are several), or null */
    public Reply reply() {
        return reply;
    }

    /**
     * @return every frame to send now, in order: empty for {@link #none()} and {@link #later},
     *         one element for a plain reply, several for {@link #replies(java.util.List)}
     */
    public java.util.List<Reply> replies() {
        return replies;
    }

    /** @return the pending reply of a blocking command, or null */
    public CompletableFuture<Reply> later() {
        return later;
    }

    /** @return whether to flush right after writing {@link #reply()} */
    public boolean flush() {
        return flush;
    }

    /** @return whether to close the connection once {@link #reply()} is written */
    public boolean close() {
        return close;
    }

    @Override
    public String toString() {
        return retry != null ? "postponed" : later != null ? "later" : reply == null ? "none" : (close ? "close after " : flush ? "flush " : "")
            + (replies.size() == 1 ? String.valueOf(reply) : String.valueOf(replies));
    }
}
