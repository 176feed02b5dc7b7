package io.redjar.internal.script.function;

import io.redjar.RedJarException;
import io.redjar.internal.persistence.rdb.Crc64;
import io.redjar.internal.persistence.rdb.RdbStrings;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The FUNCTION DUMP / FUNCTION RESTORE payload, byte-compatible with Redis 7.0: for each library
 * the opcode {@code RDB_OPCODE_FUNCTION2} (245) and the library code as an RDB string (so
 * LZF-compressed when Redis would compress it), then the RDB version (10) as two little-endian
 * bytes, then the CRC-64 of everything before it, little endian. Decoding also accepts the
 * 7.0-rc format ({@code RDB_OPCODE_FUNCTION}, 246: name, engine, optional description, code),
 * which it turns into a {@code #!<engine> name=<name>} payload as Redis does.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class FunctionPayload {
    /** The RDB version Redis 7.0 writes. */
    public static final int RDB_VERSION = 10;
    /** The current library opcode. */
    public static final int OPCODE_FUNCTION2 = 245;
    /** The 7.0-rc1/rc2 library opcode. */
    public static final int OPCODE_FUNCTION = 246;

    private FunctionPayload() {
    }

    /** @return the payload for libraries with these codes, in this order */
    public static byte[] encode(List<byte[]> libraryCodes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] code : libraryCodes) {
            out.write(OPCODE_FUNCTION2);
            RdbStrings.writeString(out, code);
        }
        out.write(RDB_VERSION & 0xFF);
        out.write((RDB_VERSION >>> 8) & 0xFF);
        byte[] body = out.toByteArray();
        long crc = Crc64.of(body);
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)) & 0xFF);
        }
        return out.toByteArray();
    }

    /** Redis's {@code verifyDumpPayload}: length, version and checksum. */
    public static boolean verify(byte[] p) {
        if (p.length < 10) {
            return false;
        }
        int f = p.length - 10;
        int ver = (p[f] & 0xFF) | ((p[f + 1] & 0xFF) << 8);
        if (ver > RDB_VERSION) {
            return false;
        }
        long crc = Crc64.update(0, p, 0, p.length - 8);
        for (int i = 0; i < 8; i++) {
            if ((byte) (crc >>> (8 * i)) != p[p.length - 8 + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes a payload into library codes, with Redis's errors.
     *
     * @throws RedJarException {@code ERR DUMP payload version or checksum are wrong},
     *         {@code ERR can not read data type}, {@code ERR given type is not a function},
     *         {@code ERR Failed loading library payload} (and the rc-format variants)
     */
    public static List<byte[]> decode(byte[] p) {
        if (!verify(p)) {
            throw new RedJarException("ERR DUMP payload version or checksum are wrong");
        }
        List<byte[]> codes = new ArrayList<>();
        RdbStrings.Reader r = new RdbStrings.Reader(p, p.length);
        while (p.length - r.position() > 10) {
            int type;
            try {
                type = r.readByte();
            } catch (RdbStrings.RdbFormatException e) {
                throw new RedJarException("ERR can not read data type");
            }
            if (type == OPCODE_FUNCTION2) {
                try {
                    codes.add(r.readString());
                } catch (RdbStrings.RdbFormatException e) {
                    throw new RedJarException("ERR Failed loading library payload");
                }
            } else if (type == OPCODE_FUNCTION) {
                codes.add(readRcFormat(r));
            } else {
                throw new RedJarException("ERR given type is not a function");
            }
        }
        return codes;
    }

    private static byte[] readRcFormat(RdbStrings.Reader r) {
        byte[] name = field(r, "ERR Failed loading library name");
        byte[] engine = field(r, "ERR Failed loading engine name");
        long hasDesc;
        try {
            hasDesc = r.readLength();
        } catch (RdbStrings.RdbFormatException e) {
            throw new RedJarException("ERR Failed loading library description indicator");
        }
        if (hasDesc != 0) {
            field(r, "ERR Failed loading library description");
        }
        byte[] blob = field(r, "ERR Failed loading library blob");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("#!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(engine);
        out.writeBytes(" name=".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(name);
        out.write('\n');
        out.writeBytes(blob);
        return out.toByteArray();
    }

    private static byte[] field(RdbStrings.Reader r, String error) {
        try {
            return r.readString();
        } catch (RdbStrings.RdbFormatException e) {
            throw new RedJarException(error);
        }
    }
}
