package io.redjar.internal.feed;

/**
 * One decoded change-feed record: an effect, its feed offset and its place in its batch.
 *
 * <p><b>Thread-safety:</b> immutable by contract ({@code argv} is fresh from decoding and never
 * shared with a writer).
 *
 * @param offset     the feed offset
 * @param db         the database
 * @param batchSize  how many records its batch has (1: not part of a multi-effect batch)
 * @param batchIndex its index in the batch, 0-based
 * @param argv       the command and its arguments
 */
public record FeedRecord(long offset, int db, int batchSize, int batchIndex, byte[][] argv) {
    /** @return the offset of the first record of the batch */
    public long batchFirst() {
        return offset - batchIndex;
    }

    /** @return the offset of the last record of the batch */
    public long batchLast() {
        return offset - batchIndex + batchSize - 1;
    }
}
