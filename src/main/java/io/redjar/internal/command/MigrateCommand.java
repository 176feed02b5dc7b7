package io.redjar.internal.command;

import io.redjar.ErrorPrefix;
import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.util.Numbers;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.DELETE;
import static io.redjar.internal.command.KeyFlag.INCOMPLETE;
import static io.redjar.internal.command.KeyFlag.RW;
import static io.redjar.internal.command.KeySpec.index;

/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password]
 * [AUTH2 username password] [KEYS key ...] (Redis 7.0's {@code migrateCommand}): each key's DUMP
 * payload and remaining TTL are sent to the target as {@code RESTORE key ttl payload [REPLACE]}
 * (after {@code AUTH} and {@code SELECT} when needed) over a fresh connection, and the keys the
 * target accepted are deleted here unless {@code COPY}. Replies and errors as Redis's:
 * {@code +NOKEY} when no key exists, {@code IOERR ...} on connection failures,
 * {@code ERR Target instance replied with error: ...}. Redis caches the connection for 10 s;
 * RedJar connects per call.
 *
 * <p><b>Thread-safety:</b> stateless; each key is read and deleted under its own lock, not all
 * keys atomically (a key changed meanwhile is migrated as it was when dumped).
 */
public final class MigrateCommand {
    private MigrateCommand() {
    }

    /** Adds MIGRATE to {@code t}. */
    public static void register(CommandTable t) {
        t.add("migrate", -6).flags(CommandFlag.WRITE)
            .keySpecs(index(3).range(0, 1, 0).flags(RW, ACCESS, DELETE),
                KeySpec.keyword("KEYS", -2).range(-1, 1, 0).flags(RW, ACCESS, DELETE, INCOMPLETE))
            .getKeys(GetKeysProc.MIGRATE).tips("nondeterministic_output")
            .doc("generic", "Atomically transfer a key from a Redis instance to another one.")
            .handler(MigrateCommand::migrate);
    }

    private static Reply migrate(ExecContext c, byte[][] a) {
        boolean copy = false;
        boolean replace = false;
        String user = null;
        String password = null;
        int firstKey = 3;
        int numKeys = 1;
        for (int j = 6; j < a.length; j++) {
            boolean more = j + 1 < a.length;
            if (Args.is(a[j], "copy")) {
                copy = true;
            } else if (Args.is(a[j], "replace")) {
                replace = true;
            } else if (Args.is(a[j], "auth")) {
                if (!more) {
                    throw new SyntaxException();
                }
                password = Args.str(a[++j]);
            } else if (Args.is(a[j], "auth2")) {
                if (a.length - j < 3) {
                    throw new SyntaxException();
                }
                user = Args.str(a[++j]);
                password = Args.str(a[++j]);
            } else if (Args.is(a[j], "keys")) {
                if (a[3].length != 0) {
                    throw new RedJarException(ErrorPrefix.ERR,
                        "When using MIGRATE KEYS option, the key argument must be set to the empty string");
                }
                firstKey = j + 1;
                numKeys = a.length - j - 1;
                break;
            } else {
                throw new SyntaxException();
            }
        }
        if (!Numbers.isLong(a[5])) {
            throw new RedJarException(ErrorPrefix.ERR, "value is not an integer or out of range");
        }
        long timeout = Numbers.parseLong(a[5]);
        if (!Numbers.isLong(a[4]) || Numbers.parseLong(a[4]) < Integer.MIN_VALUE || Numbers.parseLong(a[4]) > Integer.MAX_VALUE) {
            throw new RedJarException(ErrorPrefix.ERR, "value is not an integer or out of range");
        }
        int dbid = (int) Numbers.parseLong(a[4]);
        if (timeout <= 0) {
            timeout = 1000;
        }
        // the keys that exist, with their payload and TTL now
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        List<Long> ttls = new ArrayList<>();
        for (int i = firstKey; i < firstKey + numKeys; i++) {
            byte[] payload = c.engine().dumps().dump(c.db(), a[i]);
            if (payload == null) {
                continue;
            }
            long ttl = c.engine().keys().ttl(c.db(), a[i], true, false);
            keys.add(a[i]);
            payloads.add(payload);
            ttls.add(ttl == -1 ? 0 : Math.max(1, ttl));
        }
        if (keys.isEmpty()) {
            return new Reply.SimpleString("NOKEY");
        }
        String host = Args.str(a[1]);
        int port;
        try {
            port = Integer.parseInt(Args.str(a[2]));
        } catch (NumberFormatException e) {
            port = -1;
        }
        try (Socket s = new Socket()) {
            try {
                if (port < 0 || port > 65535) {
                    throw new IOException("bad port");
                }
                s.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, timeout));
                s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout));
            } catch (IOException | IllegalArgumentException e) {
                return Reply.error(ErrorPrefix.IOERR, "error or timeout connecting to the client");
            }
            ByteArrayOutputStream cmd = new ByteArrayOutputStream();
            int expected = 0;
            if (password != null) {
                write(cmd, user == null ? new byte[][] {bytes("AUTH"), bytes(password)}
                    : new byte[][] {bytes("AUTH"), bytes(user), bytes(password)});
                expected++;
            }
            write(cmd, new byte[][] {bytes("SELECT"), bytes(Integer.toString(dbid))});
            expected++;
            for (int k = 0; k < keys.size(); k++) {
                byte[][] restore = replace
                    ? new byte[][] {bytes("RESTORE"), keys.get(k), bytes(Long.toString(ttls.get(k))), payloads.get(k), bytes("REPLACE")}
                    : new byte[][] {bytes("RESTORE"), keys.get(k), bytes(Long.toString(ttls.get(k))), payloads.get(k)};
                write(cmd, restore);
            }
            try {
                OutputStream out = s.getOutputStream();
                out.write(cmd.toByteArray());
                out.flush();
            } catch (IOException e) {
                return Reply.error(ErrorPrefix.IOERR, "error or timeout writing to target instance");
            }
            InputStream in;
            try {
                in = new BufferedInputStream(s.getInputStream());
            } catch (IOException e) {
                return Reply.error(ErrorPrefix.IOERR, "error or timeout reading to target instance");
            }
            String targetError = null;
            List<byte[]> accepted = new ArrayList<>();
            try {
                for (int i = 0; i < expected; i++) {
                    String line = readLine(in);
                    if (line.startsWith("-") && targetError == null) {
                        targetError = line.substring(1);
                    }
                }
                if (targetError != null) {
                    return Reply.error(ErrorPrefix.ERR, "Target instance replied with error: " + targetError);
                }
                for (byte[] key : keys) {
                    String line = readLine(in);
                    if (line.startsWith("-")) {
                        if (targetError == null) {
                            targetError = line.substring(1);
                        }
                    } else {
                        accepted.add(key);
                    }
                }
            } catch (IOException e) {
                deleteAccepted(c, accepted, copy);
                return Reply.error(ErrorPrefix.IOERR, "error or timeout reading to target instance");
            }
            deleteAccepted(c, accepted, copy);
            if (targetError != null) {
                return Reply.error(ErrorPrefix.ERR, "Target instance replied with error: " + targetError);
            }
            return Reply.OK;
        } catch (IOException e) {
            return Reply.error(ErrorPrefix.IOERR, "error or timeout connecting to the client");
        }
    }

    private static void deleteAccepted(ExecContext c, List<byte[]> accepted, boolean copy) {
        if (copy || accepted.isEmpty()) {
            return;
        }
        c.engine().keys().delete(c.db(), accepted.toArray(new byte[0][]), 0, bytes("DEL"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void write(ByteArrayOutputStream out, byte[][] argv) {
        out.writeBytes(("*" + argv.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] arg : argv) {
            out.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(arg);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
    }

    /** One reply line (the replies expected here are single lines: +OK or -ERR ...). */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            if (b == '\n' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '\r') {
                return sb.substring(0, sb.length() - 1);
            }
            sb.append((char) b);
        }
    }
}
