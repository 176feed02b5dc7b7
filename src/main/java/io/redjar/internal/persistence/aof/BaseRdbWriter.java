package io.redjar.internal.persistence.aof;


import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes an append-only file's base as an RDB ({@code aof-use-rdb-preamble yes}): the seam
 * between a rewrite and the RDB codec. {@link #encoder()} encodes each shard (with its lock held,
 * at the image's capture); {@link #write} writes header, the shards' bytes, trailer and checksum.
 *
 * <p><b>Thread-safety:</b> used by one rewrite at a time.
 */
public interface BaseRdbWriter {
    /** @return the per-shard encoder the image is captured with */
    PointInTime.ShardEncoder encoder();

    /** Writes the whole RDB from the captured image. */
    void write(PointInTime.Image image, OutputStream out) throws IOException;
}
