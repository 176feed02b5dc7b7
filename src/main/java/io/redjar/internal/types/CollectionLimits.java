package io.redjar.internal.types;

/**
 * The thresholds at which a small collection's compact encoding converts to the full structure,
 * under Redis 7.0's configuration names and defaults. A collection converts when it grows past
 * either limit and never converts back (as in Redis).
 *
 * <p><b>Thread-safety:</b> thread-safe; fields are volatile and may change at run time (CONFIG
 * SET); a command reads each limit once.
 */
public final class CollectionLimits {
    /** {@code hash-max-listpack-entries}. */
    public volatile int hashMaxListpackEntries = 512;
    /** {@code hash-max-listpack-value}. */
    public volatile int hashMaxListpackValue = 64;
    /** {@code set-max-intset-entries}. */
    public volatile int setMaxIntsetEntries = 512;
    /** {@code zset-max-listpack-entries}. */
    public volatile int zsetMaxListpackEntries = 128;
    /** {@code zset-max-listpack-value}. */
    public volatile int zsetMaxListpackValue = 64;
    /** {@code list-max-listpack-size} (negative: a byte limit per node, -2 = 8 KiB). */
    public volatile int listMaxListpackSize = -2;
    /**
     * {@code list-compress-depth}: a new list keeps this many nodes at each end raw and the rest
     * LZF-compressed (0: no compression).
     */
    public volatile int listCompressDepth;
    /**
     * {@code proto-max-bulk-len}: besides the protocol's bulk limit, the largest string SETRANGE
     * and APPEND may build and LCS's transient-memory limit (as Redis's {@code checkStringLength}).
     */
    public volatile long protoMaxBulkLen = io.redjar.internal.util.Sizes.DEFAULT_PROTO_MAX_BULK_LEN;
    /** {@code stream-node-max-bytes}: a stream node's listpack size limit (0: no limit but 1 GiB). */
    public volatile long streamNodeMaxBytes = 4096;
    /** {@code stream-node-max-entries}: entries (live and deleted) per stream node (0: no limit). */
    public volatile long streamNodeMaxEntries = 100;
    /** {@code hll-sparse-max-bytes}: a sparse HyperLogLog's largest size before it turns dense. */
    public volatile long hllSparseMaxBytes = 3000;
}
