package io.redjar.internal.feed;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The named consumers' committed offsets: in memory, and for a durable feed also in
 * {@code <dir>/changefeed/consumers}, rewritten whole on every commit (a temporary file, forced,
 * then renamed over the old one and the directory forced), so a crash leaves the old or the new
 * file, never a mix. Format: {@code count (int32)}, then per consumer {@code name length (int32),
 * name (UTF-8), offset (int64)}, then {@code CRC-32C} of everything before (int32), big-endian.
 *
 * <p><b>Thread-safety:</b> thread-safe (every method is synchronized; a commit's file write runs
 * under the lock, so commits are durable in the order they were made).
 */
final class ConsumerOffsets {
    static final String FILE = "consumers";
    private final Path file;
    private final TreeMap<String, Long> offsets = new TreeMap<>();

    private ConsumerOffsets(Path file) {
        this.file = file;
    }

    /** @return offsets kept only in memory */
    static ConsumerOffsets memory() {
        return new ConsumerOffsets(null);
    }

    /** @return the offsets stored in {@code dir} (none if the file does not exist) */
    static ConsumerOffsets load(Path dir) throws IOException {
        ConsumerOffsets c = new ConsumerOffsets(dir.resolve(FILE));
        if (Files.exists(c.file)) {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(c.file));
            try {
                int n = b.getInt();
                for (int i = 0; i < n; i++) {
                    byte[] name = new byte[b.getInt()];
                    b.get(name);
                    c.offsets.put(new String(name, StandardCharsets.UTF_8), b.getLong());
                }
                int end = b.position();
                CRC32C crc = new CRC32C();
                crc.update(b.array(), 0, end);
                if ((int) crc.getValue() != b.getInt() || b.hasRemaining()) {
                    throw new IOException("checksum mismatch");
                }
            } catch (RuntimeException e) {
                throw new IOException("corrupt change feed consumer file " + c.file + ": " + e, e);
            }
        }
        return c;
    }

    /** @return the offset {@code name} committed, 0 if it never did */
    synchronized long get(String name) {
        return offsets.getOrDefault(name, 0L);
    }

    /** @return whether {@code name} ever committed */
    synchronized boolean contains(String name) {
        return offsets.containsKey(name);
    }

    /** @return the highest committed offset (0 if none) */
    synchronized long max() {
        long m = 0;
        for (long v : offsets.values()) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** @return a snapshot of every consumer's offset, by name */
    synchronized Map<String, Long> all() {
        return Collections.unmodifiableMap(new TreeMap<>(offsets));
    }

    /** Sets {@code name}'s offset (or removes it when {@code offset} is negative); durable on return. */
    synchronized void set(String name, long offset) throws IOException {
        Long old = offset < 0 ? offsets.remove(name) : offsets.put(name, offset);
        try {
            store();
        } catch (IOException e) {
            if (old == null) {
                offsets.remove(name);
            } else {
                offsets.put(name, old);
            }
            throw e;
        }
    }

    private void store() throws IOException {
        if (file == null) {
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(offsets.size());
        for (Map.Entry<String, Long> e : offsets.entrySet()) {
            byte[] n = e.getKey().getBytes(StandardCharsets.UTF_8);
            out.writeInt(n.length);
            out.write(n);
            out.writeLong(e.getValue());
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer src = ByteBuffer.wrap(bytes.toByteArray());
            while (src.hasRemaining()) {
                ch.write(src);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // a directory that cannot be synced: the rename is still atomic
        }
    }
}
