package io.redjar.internal.server;

/**
 * What INFO reports of client-side caching: {@code tracking_clients} (clients section) and
 * {@code tracking_total_keys}, {@code tracking_total_items}, {@code tracking_total_prefixes}
 * (stats section), as Redis 7.0.
 *
 * <p><b>Thread-safety:</b> implementations are thread-safe (values may be slightly stale).
 */
public interface TrackingCounts {
    /** No tracking at all. */
    TrackingCounts NONE = new TrackingCounts() {
    };

    /** @return clients with tracking on */
    default long trackingClients() {
        return 0;
    }

    /** @return keys in the tracking table */
    default long trackingKeys() {
        return 0;
    }

    /** @return (key, client) pairs in the tracking table */
    default long trackingItems() {
        return 0;
    }

    /** @return BCAST prefixes in the prefix table */
    default long trackingPrefixes() {
        return 0;
    }
}
