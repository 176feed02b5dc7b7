package io.redjar.internal.persistence.aof;

import io.redjar.Reply;
import io.redjar.internal.command.CommandHost;
import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.Dispatcher;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.command.TxState;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Loads a multi-part append-only file at start-up (Redis's {@code loadAppendOnlyFiles}): the
 * base (an RDB if it starts with {@code REDIS}, through the {@link BaseRdbLoader}; else commands),
 * then every incremental file in manifest order, each command replayed through the one command
 * core (resolved by the {@link Dispatcher}, run by the call path's {@code runQueued}: counted, but
 * past the gates, as Redis's loader calls the command directly) in a loading context of its own:
 * MULTI queues everything up to EXEC as Redis's loader does, and nothing is propagated (the writer
 * starts only after loading; the caller suppresses the loading thread's effects).
 *
 * <p><b>Rules</b> (Redis 7.0's, stricter where Redis reads blindly): a file is a sequence of RESP
 * arrays of bulk strings ({@code #} lines are annotations). The end of a file in the middle of a
 * command, or inside a MULTI without its EXEC (the transaction is reverted: it was queued, never
 * run), is a <em>truncated tail</em>: with {@code aof-load-truncated yes} and in the LAST file,
 * the file is cut back to the last complete command (or to before the MULTI) and the number of
 * bytes dropped is logged; otherwise it is an error. Anything else malformed (a byte where a
 * {@code *} or {@code $} belongs, a bad length, a bulk not followed by CRLF, an unknown command)
 * is an {@link AofFormatException} naming the file and byte offset. A load either completes or
 * fails: never a silently partial load.
 *
 * <p><b>Thread-safety:</b> single-threaded, at start-up before the store is shared.
 */
public final class AofLoader {
    private static final System.Logger LOG = System.getLogger("io.redjar");

    /** What a load did. */
    public record Result(int files, long commands, long bytesDropped) {
    }

    private final Dispatcher dispatcher;
    private final CommandHost host;
    private final BaseRdbLoader rdb;
    private final boolean loadTruncated;

    public AofLoader(Dispatcher dispatcher, CommandHost host, BaseRdbLoader rdb, boolean loadTruncated) {
        this.dispatcher = dispatcher;
        this.host = host;
        this.rdb = rdb;
        this.loadTruncated = loadTruncated;
    }

    /** Loads every file of {@code manifest} from {@code dir}. */
    public Result load(Path dir, AofManifest manifest) throws IOException {
        int files = 0;
        long commands = 0;
        long dropped = 0;
        int total = (manifest.base() == null ? 0 : 1) + manifest.incrs().size();
        int i = 0;
        if (manifest.base() != null) {
            i++;
            Path f = dir.resolve(manifest.base().name());
            if (!Files.exists(f)) {
                throw new AofFormatException("The AOF base file " + manifest.base().name() + " doesn't exist");
            }
            if (isRdb(f)) {
                LOG.log(System.Logger.Level.INFO, "Reading RDB base file on AOF loading...");
                rdb.load(f);
            } else {
                long[] r = loadCommands(f, i == total);
                commands += r[0];
                dropped += r[1];
            }
            files++;
        }
        for (AofManifest.Entry e : manifest.incrs()) {
            i++;
            Path f = dir.resolve(e.name());
            if (!Files.exists(f)) {
                throw new AofFormatException("The AOF file " + e.name() + " doesn't exist");
            }
            long[] r = loadCommands(f, i == total);
            commands += r[0];
            dropped += r[1];
            files++;
        }
        return new Result(files, commands, dropped);
    }

    private static boolean isRdb(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            byte[] sig = in.readNBytes(5);
            return sig.length == 5 && new String(sig, StandardCharsets.US_ASCII).equals("REDIS");
        }
    }

    /** @return {commands run, bytes dropped} */
    long[] loadCommands(Path f, boolean last) throws IOException {
        String name = f.getFileName().toString();
        long length = Files.size(f);
        ExecContext ctx = new ExecContext(host, 0);
        ctx.mustObey(true);
        long commands = 0;
        long valid = 0;
        long validBeforeMulti = 0;
        boolean truncated = false;
        try (Reader in = new Reader(new BufferedInputStream(Files.newInputStream(f), 1 << 16))) {
            while (true) {
                long start = in.pos;
                int c = in.read();
                if (c < 0) {
                    break;
                }
                if (c == '#') { // annotation line
                    while ((c = in.read()) >= 0 && c != '\n') {
                        // skip
                    }
                    valid = in.pos;
                    continue;
                }
                if (c != '*') {
                    throw bad(name, start, "expected '*'");
                }
                byte[][] argv;
                try {
                    long argc = in.number(name);
                    if (argc < 1 || argc > 1024 * 1024) {
                        throw bad(name, start, "bad argument count " + argc);
                    }
                    argv = new byte[(int) argc][];
                    for (int j = 0; j < argc; j++) {
                        long at = in.pos;
                        int d = in.read();
                        if (d < 0) {
                            throw new EOFException();
                        }
                        if (d != '$') {
                            throw bad(name, at, "expected '$'");
                        }
                        long len = in.number(name);
                        if (len < 0 || len > 512L * 1024 * 1024) {
                            throw bad(name, at, "bad bulk length " + len);
                        }
                        if (len > length - in.pos) {
                            throw new EOFException(); // the file ends inside this argument
                        }
                        argv[j] = in.bytes((int) len);
                        long crlf = in.pos;
                        int r1 = in.read();
                        int r2 = in.read();
                        if (r1 < 0 || r2 < 0) {
                            throw new EOFException();
                        }
                        if (r1 != '\r' || r2 != '\n') {
                            throw bad(name, crlf, "bulk string not followed by CRLF");
                        }
                    }
                } catch (EOFException e) {
                    truncated = true;
                    break;
                }
                Object spec = dispatcher.resolve(argv);
                if (spec instanceof Reply.ErrorReply err) {
                    throw bad(name, start, "Unknown command '" + new String(argv[0], StandardCharsets.UTF_8)
                        + "' reading the append only file (" + err.message() + ")");
                }
                CommandSpec cmd = (CommandSpec) spec;
                TxState tx = ctx.txIfAny();
                if (tx != null && tx.inMulti() && !cmd.fullName().equals("exec")) {
                    tx.queue(cmd, argv); // Redis's loader queues everything but EXEC inside MULTI
                } else {
                    if (cmd.fullName().equals("multi")) {
                        validBeforeMulti = valid;
                    }
                    // no gates: a load restores the data set whatever maxmemory or a disk error says
                    dispatcher.callPath().runQueued(cmd, ctx, argv);
                }
                commands++;
                valid = in.pos;
            }
        }
        TxState tx = ctx.txIfAny();
        if (!truncated && tx != null && tx.inMulti()) {
            LOG.log(System.Logger.Level.WARNING, "Revert incomplete MULTI/EXEC transaction in AOF file " + name);
            tx.discard();
            valid = validBeforeMulti;
            truncated = true;
        } else if (truncated && tx != null && tx.inMulti()) {
            tx.discard();
            valid = validBeforeMulti;
        }
        if (!truncated) {
            return new long[] {commands, 0};
        }
        if (!last) {
            throw new AofFormatException("Unexpected end of file reading the append only file " + name
                + " at offset " + valid + ", and it is not the last file");
        }
        if (!loadTruncated) {
            throw new AofFormatException("Unexpected end of file reading the append only file " + name
                + " at offset " + valid + " (aof-load-truncated is no): make a backup of your AOF file, then use "
                + "redis-check-aof --fix <filename.manifest>");
        }
        long dropped = length - valid;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(valid);
            ch.force(true);
        }
        LOG.log(System.Logger.Level.WARNING, "!!! Warning: short read while loading the AOF file " + name + "!!! "
            + "Truncating the AOF " + name + " at offset " + valid + " (" + dropped + " bytes dropped). "
            + "AOF loaded anyway because aof-load-truncated is enabled");
        return new long[] {commands, dropped};
    }

    private static AofFormatException bad(String name, long offset, String why) {
        return new AofFormatException("Bad file format reading the append only file " + name + " at offset "
            + offset + ": " + why + ". Make a backup of your AOF file, then use redis-check-aof --fix <filename.manifest>");
    }

    /** A counting byte reader. */
    private static final class Reader implements AutoCloseable {
        private final InputStream in;
        long pos;

        Reader(InputStream in) {
            this.in = in;
        }

        int read() throws IOException {
            int c = in.read();
            if (c >= 0) {
                pos++;
            }
            return c;
        }

        /** Reads {@code digits\r\n}. @throws EOFException at the end of the file */
        long number(String name) throws IOException {
            long start = pos;
            long v = 0;
            int digits = 0;
            boolean neg = false;
            while (true) {
                int c = read();
                if (c < 0) {
                    throw new EOFException();
                }
                if (c == '\r') {
                    int n = read();
                    if (n < 0) {
                        throw new EOFException();
                    }
                    if (n != '\n' || digits == 0) {
                        throw bad(name, start, "malformed length line");
                    }
                    return neg ? -v : v;
                }
                if (c == '-' && digits == 0 && !neg) {
                    neg = true;
                    continue;
                }
                if (c < '0' || c > '9' || digits >= 18) {
                    throw bad(name, start, "malformed length line");
                }
                v = v * 10 + (c - '0');
                digits++;
            }
        }

        byte[] bytes(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            pos += b.length;
            if (b.length < n) {
                throw new EOFException();
            }
            return b;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
