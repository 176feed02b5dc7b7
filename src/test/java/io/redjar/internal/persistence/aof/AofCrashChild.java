package io.redjar.internal.persistence.aof;

import io.redjar.AppendFsync;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child JVM of {@link AofCrashTest}: opens the store on {@code args[0]} with fsync policy
 * {@code args[1]}, continues the history where the file left it (write {@code i} is
 * {@code MULTI; RPUSH h i; SET last i; EXEC}, with a BGREWRITEAOF every 400 writes), and prints
 * {@code ack <i> <epoch ms>} after each write returned OK, until it is killed.
 */
public final class AofCrashChild {
    private AofCrashChild() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        AppendFsync fsync = AppendFsync.valueOf(args[1]);
        try (Store s = AofTestSupport.open(Path.of(args[0]), fsync)) {
            Session c = s.newSession();
            long next = ((Reply.IntegerReply) c.execute("LLEN", "h")).value();
            out.println("ready " + next);
            for (long i = next; ; i++) {
                String v = Long.toString(i);
                c.execute("MULTI");
                c.execute("RPUSH", "h", v);
                c.execute("SET", "last", v);
                Reply r = c.execute("EXEC");
                if (!(r instanceof Reply.ArrayReply)) {
                    out.println("fail " + i + " " + r);
                    continue;
                }
                out.println("ack " + i + " " + System.currentTimeMillis());
                if (i % 400 == 399) {
                    c.execute("BGREWRITEAOF");
                }
            }
        }
    }
}
