package io.redjar.resp.clients;

import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.PendingMessagesSummary;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.stream.StreamMessageListenerContainer;
import org.springframework.data.redis.stream.Subscription;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spring Data Redis 3.5's messaging containers (on Lettuce) against the RESP server:
 * {@link RedisMessageListenerContainer} with a channel and a pattern topic, and
 * {@link StreamMessageListenerContainer} reading a stream through a consumer group
 * (XREADGROUP ... BLOCK, explicit XACK), what a Spring application uses for pub/sub and streams.
 */
@RedJarTest
class SpringMessagingTest {
    private static LettuceConnectionFactory factory;
    private static StringRedisTemplate template;

    @BeforeAll
    static void start(@RedJarPort int port) {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        factory.afterPropertiesSet();
        factory.start();
        template = new StringRedisTemplate(factory);
        template.afterPropertiesSet();
    }

    @AfterAll
    static void stop() {
        factory.destroy();
    }

    @Test
    void messageListenerContainerGetsChannelAndPatternMessages() throws Exception {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(factory);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        container.addMessageListener((Message m, byte[] pattern) -> got.add(
            (pattern == null ? "" : new String(pattern, StandardCharsets.UTF_8) + " ")
                + new String(m.getChannel(), StandardCharsets.UTF_8) + " " + new String(m.getBody(), StandardCharsets.UTF_8)),
            List.of(new ChannelTopic("orders"), new PatternTopic("audit.*")));
        container.afterPropertiesSet();
        container.start();
        try {
            // the container subscribes asynchronously: publish until the subscription is in place
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (template.convertAndSend("orders", "probe") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            while (template.convertAndSend("audit.login", "probe") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            // probes delivered from now on are skipped below by their content
            assertEquals(1L, template.convertAndSend("orders", "o-1"));
            assertEquals(1L, template.convertAndSend("audit.login", "alice"));
            assertEquals(0L, template.convertAndSend("other", "x"));
            List<String> messages = new ArrayList<>();
            while (messages.size() < 2) {
                String m = got.poll(10, TimeUnit.SECONDS);
                assertNotNull(m, "messages so far: " + messages);
                if (!m.endsWith(" probe")) {
                    messages.add(m);
                }
            }
            Collections.sort(messages);
            // Spring passes the topic as "pattern": the pattern, or the channel itself
            assertEquals(List.of("audit.* audit.login alice", "orders orders o-1"), messages);
        } finally {
            container.stop();
            container.destroy();
        }
    }

    @Test
    void streamListenerContainerConsumesThroughAGroupAndAcknowledges() throws Exception {
        String stream = "spring-orders";
        template.delete(stream);
        template.opsForStream().add(MapRecord.create(stream, Map.of("init", "1")));
        template.opsForStream().createGroup(stream, ReadOffset.from("0"), "billing");

        StreamMessageListenerContainer.StreamMessageListenerContainerOptions<String, MapRecord<String, String, String>> options =
            StreamMessageListenerContainer.StreamMessageListenerContainerOptions.builder()
                .pollTimeout(Duration.ofMillis(100))
                .batchSize(10)
                .build();
        StreamMessageListenerContainer<String, MapRecord<String, String, String>> container =
            StreamMessageListenerContainer.create(factory, options);
        int n = 25;
        CountDownLatch all = new CountDownLatch(n + 1);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Subscription sub = container.receive(Consumer.from("billing", "worker-1"),
            StreamOffset.create(stream, ReadOffset.lastConsumed()),
            record -> {
                seen.add(record.getValue().toString());
                template.opsForStream().acknowledge("billing", record);
                all.countDown();
            });
        container.start();
        try {
            assertTrue(sub.await(Duration.ofSeconds(10)), "subscription active");
            for (int i = 0; i < n; i++) {
                RecordId id = template.opsForStream().add(MapRecord.create(stream, Map.of("order", Integer.toString(i))));
                assertNotNull(id);
            }
            assertTrue(all.await(20, TimeUnit.SECONDS), "delivered: " + seen.size());
            assertEquals("{init=1}", seen.get(0));
            for (int i = 0; i < n; i++) {
                assertEquals("{order=" + i + "}", seen.get(i + 1));
            }
            PendingMessagesSummary pending = template.opsForStream().pending(stream, "billing");
            assertEquals(0L, pending.getTotalPendingMessages(), "everything acknowledged");
            assertEquals(n + 1L, template.opsForStream().size(stream));
        } finally {
            container.stop();
        }
    }
}
