package io.redjar.resp;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Under {@code appendfsync always} a write acknowledged over RESP survives SIGKILL: a child JVM
 * runs the server ({@link Main}) while several clients write distinct keys and record every
 * {@code +OK}; the child is killed at a seeded random point, and a server restarted on the same
 * directory must have every acknowledged key. Replies are sent once the write is forced (the
 * front end defers them off the event loop), so this is what checks that no reply overtakes its
 * sync. Two cycles on the same directory.
 */
class AofAlwaysKillWireTest {
    private static final Pattern PORT = Pattern.compile("port=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void acknowledgedWritesSurviveSigkill() {
        Seeds.run("aof always kill over the wire", r -> {
            List<String> acked = new ArrayList<>();
            for (int cycle = 0; cycle < 2; cycle++) {
                runAndKill(cycle, 200 + r.nextInt(800), acked);
            }
            assertTrue(acked.size() > 0, "nothing was acknowledged");
            ServerOptions o = ServerOptions.parseArgs(new String[] {"--dir", dir.toString(), "--port", "0", "--appendonly", "yes"});
            try (RedJarServer server = RedJarServer.start(o); RawConn c = new RawConn(server.port())) {
                for (String k : acked) {
                    c.send("GET " + k + "\r\n");
                    assertEquals("$" + k.length() + "\r\n" + k + "\r\n", c.readReplyString(), "acknowledged " + k + " lost");
                }
            }
            System.out.println("aof always kill: " + acked.size() + " acknowledged writes all recovered");
        });
    }

    private void runAndKill(int cycle, int killAfterMs, List<String> acked) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-exports") || a.startsWith("--add-opens") || a.startsWith("-Dredjar.")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
            "--port", "0", "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        int[] port = {0};
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Matcher m = PORT.matcher(line);
                    synchronized (out) {
                        if (m.find() && line.contains("ready")) {
                            port[0] = Integer.parseInt(m.group(1));
                        }
                        if (out.length() < 4000) {
                            out.append(line).append('\n');
                        }
                    }
                }
            } catch (IOException ignored) {
                // killed
            }
        });
        reader.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int pt;
            while (true) {
                synchronized (out) {
                    pt = port[0];
                }
                if (pt != 0 || !p.isAlive() || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(5);
            }
            if (pt == 0) {
                fail("server did not start: " + out);
            }
            // the data set loads in the background: wait until it answers
            try (RawConn c = new RawConn(pt)) {
                String reply;
                do {
                    c.send("PING\r\n");
                    reply = c.readReplyString();
                } while (reply.startsWith("-LOADING") && System.nanoTime() < deadline);
                assertEquals("+PONG\r\n", reply);
            }
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                int serverPort = pt;
                Thread th = new Thread(() -> {
                    try (RawConn c = new RawConn(serverPort)) {
                        for (int i = 0; ; i++) {
                            String k = "c" + cycle + ":" + id + ":" + i;
                            c.send("SET " + k + " " + k + "\r\n");
                            if (!"+OK\r\n".equals(c.readReplyString())) {
                                return;
                            }
                            synchronized (acked) {
                                acked.add(k);
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        // the server was killed
                    }
                });
                th.start();
                clients.add(th);
            }
            Thread.sleep(killAfterMs);
            p.destroyForcibly(); // SIGKILL
            p.waitFor(30, TimeUnit.SECONDS);
            for (Thread t : clients) {
                t.join(10_000);
            }
        } finally {
            p.destroyForcibly();
            reader.join(10_000);
        }
    }
}
