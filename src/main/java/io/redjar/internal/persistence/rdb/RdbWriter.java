package io.redjar.internal.persistence.rdb;

import io.redjar.internal.util.Lzf;
import io.redjar.internal.memory.NativeMemory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes an RDB stream (version 10, Redis 7.0's {@code rdb.c} encodings) to an
 * {@link OutputStream}: the header, aux fields, function libraries, database selectors, entries
 * (through {@link RdbEntries} and {@link RdbValueWriter}), and the EOF opcode with the CRC64 of
 * every byte before it. Also the sink DUMP writes its payload into.
 *
 * <p>Design: one 64 KiB buffer; the CRC is updated over each buffer as it is flushed (and over
 * the tail in {@link #end()}), so it covers every byte written through this writer, in order,
 * including {@link #raw} bytes. Strings follow {@code rdbSaveRawString}: integers of up to 11
 * characters as 8/16/32-bit integers, longer than 20 bytes LZF-compressed when compression is on
 * and it saves at least 4 bytes, else verbatim.
 *
 * <p>I/O failures surface as {@link UncheckedIOException} (the snapshot machinery turns them into
 * a failed save).
 *
 * <p><b>Thread-safety:</b> not thread-safe; one writer per stream, used by one thread at a time.
 */
public final class RdbWriter {
    /** RDB version written in the header and in DUMP payloads. */
    public static final int RDB_VERSION = 10;

    static final int OPCODE_FUNCTION2 = 245;
    static final int OPCODE_IDLE = 248;
    static final int OPCODE_FREQ = 249;
    static final int OPCODE_AUX = 250;
    static final int OPCODE_RESIZEDB = 251;
    static final int OPCODE_EXPIRETIME_MS = 252;
    static final int OPCODE_EXPIRETIME = 253;
    static final int OPCODE_SELECTDB = 254;
    static final int OPCODE_EOF = 255;

    private final OutputStream out;
    private final boolean compression;
    private final boolean checksum;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private long crc;
    private long written;
    private EvictionInfo evictionInfo = EvictionInfo.NONE;

    /** Which per-key access information is saved (Redis saves it by the eviction policy). */
    public enum EvictionInfo {
        /** None (policies other than LRU/LFU). */
        NONE,
        /** {@code RDB_OPCODE_IDLE} with the idle seconds ({@code *-lru} policies). */
        LRU,
        /**
         * {@code *-lfu} policies. RedJar keeps no access-frequency counter (OBJECT FREQ refuses
         * too), so nothing is written for it.
         */
        LFU
    }

    /**
     * @param out         where the bytes go (not closed by this writer)
     * @param compression {@code rdbcompression}: LZF for strings longer than 20 bytes
     * @param checksum    {@code rdbchecksum}: write the CRC64 at the end (else 0)
     */
    public RdbWriter(OutputStream out, boolean compression, boolean checksum) {
        this.out = out;
        this.compression = compression;
        this.checksum = checksum;
    }

    /** Sets which access information {@link RdbEntries} saves per key (default none). */
    public RdbWriter evictionInfo(EvictionInfo info) {
        this.evictionInfo = info;
        return this;
    }

    /** @return which access information is saved per key */
    public EvictionInfo evictionInfo() {
        return evictionInfo;
    }

    /** @return whether strings are LZF-compressed */
    public boolean compression() {
        return compression;
    }

    /** Writes {@code REDIS0010}. */
    public void header() {
        raw("REDIS0010".getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes an aux field ({@code RDB_OPCODE_AUX}, key, value as strings). */
    public void aux(String key, String value) {
        writeByte(OPCODE_AUX);
        writeString(key.getBytes(StandardCharsets.UTF_8));
        writeString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes an aux field whose value is an integer (stored integer-encoded when it fits, as Redis). */
    public void auxLong(String key, long value) {
        aux(key, Long.toString(value));
    }

    /** Writes one function library ({@code RDB_OPCODE_FUNCTION2} and its code). */
    public void function(String libraryCode) {
        writeByte(OPCODE_FUNCTION2);
        writeString(libraryCode.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code RDB_OPCODE_SELECTDB}. */
    public void selectDb(int db) {
        writeByte(OPCODE_SELECTDB);
        writeLength(db);
    }

    /** Writes {@code RDB_OPCODE_RESIZEDB}. */
    public void resizeDb(long size, long expires) {
        writeByte(OPCODE_RESIZEDB);
        writeLength(size);
        writeLength(expires);
    }

    /** Writes already-encoded bytes (they count in the CRC). */
    public void raw(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (pos == buf.length) {
                flushBuffer();
            }
            int n = Math.min(len, buf.length - pos);
            System.arraycopy(b, off, buf, pos, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /** Writes already-encoded bytes. */
    public void raw(byte[] b) {
        raw(b, 0, b.length);
    }

    /** Writes the EOF opcode and the checksum (0 when checksums are off), and flushes. */
    public void end() {
        writeByte(OPCODE_EOF);
        long c = checksum ? crcSoFar() : 0;
        writeLongLE(c);
        flush();
    }

    /** @return the CRC64 of every byte written so far */
    public long crcSoFar() {
        return Crc64.update(crc, buf, 0, pos);
    }

    /** Pushes the buffered bytes to the stream and flushes it. */
    public void flush() {
        flushBuffer();
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return bytes written through this writer so far (buffered ones included) */
    public long bytesWritten() {
        return written + pos;
    }

    private void flushBuffer() {
        if (pos == 0) {
            return;
        }
        crc = Crc64.update(crc, buf, 0, pos);
        try {
            out.write(buf, 0, pos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        written += pos;
        pos = 0;
    }

    // ---- primitives (package: used by the value and entry writers) ---------------------------

    void writeByte(int b) {
        if (pos == buf.length) {
            flushBuffer();
        }
        buf[pos++] = (byte) b;
    }

    void writeLongLE(long v) {
        for (int s = 0; s < 64; s += 8) {
            writeByte((int) (v >>> s));
        }
    }

    /** {@code rdbSaveLen} of a 64-bit unsigned value (stream ids and counters): 8 bytes when it does not fit 32 bits. */
    void writeUnsignedLength(long v) {
        if (v >= 0) {
            writeLength(v);
            return;
        }
        writeByte(0x81);
        for (int s = 56; s >= 0; s -= 8) {
            writeByte((int) (v >>> s));
        }
    }

    /** {@code rdbSaveLen}. */
    void writeLength(long len) {
        if (len < 0) {
            throw new IllegalArgumentException("negative length " + len);
        }
        if (len < (1 << 6)) {
            writeByte((int) len);
        } else if (len < (1 << 14)) {
            writeByte((int) ((len >>> 8) & 0x3F) | 0x40);
            writeByte((int) len);
        } else if (len <= 0xFFFFFFFFL) {
            writeByte(0x80);
            for (int s = 24; s >= 0; s -= 8) {
                writeByte((int) (len >>> s));
            }
        } else {
            writeByte(0x81);
            for (int s = 56; s >= 0; s -= 8) {
                writeByte((int) (len >>> s));
            }
        }
    }

    /** {@code rdbSaveRawString}. */
    void writeString(byte[] s) {
        int len = s.length;
        if (len <= 11 && len > 0 && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9'))) {
            long[] v = new long[1];
            if (RdbStrings.parseStrictLong(s, v) && v[0] >= Integer.MIN_VALUE && v[0] <= Integer.MAX_VALUE) {
                writeInteger(v[0]);
                return;
            }
        }
        if (compression && len > 20) {
            byte[] c = Lzf.compress(s, len - 4);
            if (c != null) {
                writeByte(0xC3);
                writeLength(c.length);
                writeLength(len);
                raw(c, 0, c.length);
                return;
            }
        }
        writeLength(len);
        raw(s, 0, len);
    }

    /** {@code rdbSaveLzfBlob}: already-compressed LZF data of {@code rawLen} bytes uncompressed. */
    void writeLzfBlob(long address, int compressedLen, int rawLen) {
        writeByte(0xC3);
        writeLength(compressedLen);
        writeLength(rawLen);
        rawNative(address, compressedLen);
    }

    /** {@link #writeString} of native bytes. */
    void writeString(long address, int len) {
        if ((len <= 11 && len > 0 && mayBeInteger(NativeMemory.getByte(address))) || (compression && len > 20)) {
            writeString(NativeMemory.toArray(address, len));
            return;
        }
        writeLength(len);
        rawNative(address, len);
    }

    /** Writes {@code len} native bytes as they are. */
    private void rawNative(long address, int len) {
        while (len > 0) {
            if (pos == buf.length) {
                flushBuffer();
            }
            int n = Math.min(len, buf.length - pos);
            NativeMemory.copyToArray(address, buf, pos, n);
            pos += n;
            address += n;
            len -= n;
        }
    }

    private static boolean mayBeInteger(byte first) {
        return first == '-' || (first >= '0' && first <= '9');
    }

    /** An integer that fits 32 bits, in the smallest of the 8/16/32-bit encodings. */
    private void writeInteger(long value) {
        if (value >= -(1 << 7) && value <= (1 << 7) - 1) {
            writeByte(0xC0);
            writeByte((int) value);
        } else if (value >= -(1 << 15) && value <= (1 << 15) - 1) {
            writeByte(0xC1);
            writeByte((int) value);
            writeByte((int) (value >> 8));
        } else {
            writeByte(0xC2);
            for (int sh = 0; sh < 32; sh += 8) {
                writeByte((int) (value >> sh));
            }
        }
    }

    /** {@code rdbSaveLongLongAsStringObject}: a long as an integer string. */
    void writeLongString(long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            writeInteger(v);
        } else {
            byte[] s = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            writeLength(s.length);
            raw(s, 0, s.length);
        }
    }

    /** {@code rdbSaveBinaryDoubleValue}: 8 bytes little endian. */
    void writeBinaryDouble(double d) {
        writeLongLE(Double.doubleToRawLongBits(d));
    }
}
