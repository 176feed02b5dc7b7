package io.redjar;

/**
 * A {@link ChangeFeed} subscription asked for changes the feed no longer holds: its start offset
 * (or the next change a slow subscriber needed) is older than the oldest change retention kept.
 * Delivered through {@link java.util.concurrent.Flow.Subscriber#onError}; the subscription is over.
 * Subscribe again from {@link #firstAvailable()} (or {@link ChangeFeed#firstOffset()}) to go on,
 * knowing that the changes in between are lost to this consumer.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class OffsetDiscardedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long requested;
    private final long firstAvailable;

    /**
     * @param requested      the offset that was asked for
     * @param firstAvailable the oldest offset the feed still holds
     */
    public OffsetDiscardedException(long requested, long firstAvailable) {
        super("change feed offset " + requested + " was discarded by retention; the oldest retained offset is "
            + firstAvailable);
        this.requested = requested;
        this.firstAvailable = firstAvailable;
    }

    /** @return the offset that was asked for */
    public long requested() {
        return requested;
    }

    /** @return the oldest offset the feed held when this was raised */
    public long firstAvailable() {
        return firstAvailable;
    }
}
