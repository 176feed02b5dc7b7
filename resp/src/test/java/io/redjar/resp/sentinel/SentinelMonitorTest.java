package io.redjar.resp.sentinel;

import io.redjar.Reply;
import io.redjar.testing.RequiresRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A RedJar master watched by three real Sentinels ({@code redis-server --sentinel}, Redis 7.0):
 * Sentinel's monitoring traffic works against RedJar (its INFO parsing, PING, the
 * {@code __sentinel__:hello} channel over which the Sentinels find each other, CLIENT SETNAME),
 * and a SIGKILLed master is agreed objectively down by the quorum.
 */
@RequiresRedis
class SentinelMonitorTest {
    private final List<NodeProcess> nodes = new ArrayList<>();
    private boolean passed;

    @AfterEach
    void tearDown() {
        for (NodeProcess n : nodes) {
            if (!passed) {
                n.keep();
                System.err.println("SentinelMonitorTest: kept " + n + " log " + n.log());
            }
            n.close();
        }
    }

    @Test
    void sentinelsMonitorARedJarMasterAndAgreeItIsDown() {
        NodeProcess master = add(NodeProcess.redjar("redjar-master"));
        List<NodeProcess> sentinels = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            sentinels.add(add(NodeProcess.sentinel("sentinel" + i, master.port(), 2, 1000, 5000)));
        }
        // each Sentinel reads RedJar's INFO (role master) and finds the two others through the
        // hello messages published on RedJar
        for (NodeProcess s : sentinels) {
            NodeProcess.await(Duration.ofSeconds(30), () -> {
                Map<String, String> m = fields(s.call("SENTINEL", "MASTER", "mymaster"));
                return "master".equals(m.get("flags")) && "master".equals(m.get("role-reported"))
                    && "2".equals(m.get("num-other-sentinels"));
            }, s + " sees the RedJar master and two other sentinels");
        }
        Reply addr = sentinels.get(0).call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster");
        assertEquals(Reply.array(Reply.bulk("127.0.0.1"), Reply.bulk(Integer.toString(master.port()))), addr);
        assertEquals(Reply.array(List.of()), sentinels.get(0).call("SENTINEL", "REPLICAS", "mymaster"));
        // Sentinel names its connections on the master
        String clients = text(master.call("CLIENT", "LIST"));
        assertEquals(true, clients.contains("name=sentinel-"), clients);
        String runId = fields(sentinels.get(0).call("SENTINEL", "MASTER", "mymaster")).get("runid");
        String info = text(master.call("INFO", "server"));
        assertEquals(true, info.contains("run_id:" + runId), "Sentinel reports RedJar's run_id " + runId);

        master.kill();
        for (NodeProcess s : sentinels) {
            NodeProcess.await(Duration.ofSeconds(30), () -> {
                String flags = fields(s.call("SENTINEL", "MASTER", "mymaster")).get("flags");
                return flags != null && flags.contains("s_down") && flags.contains("o_down");
            }, s + " sees the killed master objectively down");
        }
        passed = true;
    }

    private NodeProcess add(NodeProcess n) {
        nodes.add(n);
        return n;
    }

    /** SENTINEL MASTER's flat name/value array as a map. */
    static Map<String, String> fields(Reply r) {
        Map<String, String> m = new LinkedHashMap<>();
        if (r instanceof Reply.ArrayReply a) {
            for (int i = 0; i + 1 < a.elements().size(); i += 2) {
                m.put(text(a.elements().get(i)), text(a.elements().get(i + 1)));
            }
        }
        return m;
    }

    static String text(Reply r) {
        if (r instanceof Reply.Bulk b) {
            return new String(b.value(), StandardCharsets.UTF_8);
        }
        if (r instanceof Reply.SimpleString s) {
            return s.value();
        }
        return String.valueOf(r);
    }
}
