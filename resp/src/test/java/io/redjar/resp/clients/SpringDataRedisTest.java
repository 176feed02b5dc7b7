package io.redjar.resp.clients;

import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spring Data Redis 3.5 ({@link StringRedisTemplate} on Lettuce) against the RESP server:
 * plain operations, and MULTI/EXEC through a {@link SessionCallback} with WATCH (a conflict makes
 * {@code exec()} return an empty list), and a {@link DefaultRedisScript} (Spring runs EVALSHA
 * and falls back to EVAL on NOSCRIPT).
 */
@RedJarTest
class SpringDataRedisTest {
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
    void operations() {
        template.opsForValue().set("greeting", "hello");
        assertEquals("hello", template.opsForValue().get("greeting"));
        assertEquals(5L, template.opsForValue().increment("n", 5));
        template.opsForHash().put("h", "f", "v");
        assertEquals("v", template.opsForHash().get("h", "f"));
        template.opsForList().rightPushAll("l", "a", "b");
        assertEquals(List.of("a", "b"), template.opsForList().range("l", 0, -1));
        assertTrue(template.hasKey("l"));
    }

    @Test
    void sessionCallbackMultiExec() {
        template.opsForValue().set("balance", "100");
        List<Object> results = template.execute(new SessionCallback<List<Object>>() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public List<Object> execute(RedisOperations ops) throws DataAccessException {
                ops.watch("balance");
                long balance = Long.parseLong((String) ops.opsForValue().get("balance"));
                ops.multi();
                ops.opsForValue().set("balance", Long.toString(balance - 30));
                ops.opsForValue().increment("spent", 30);
                ops.opsForList().rightPush("history", "-30");
                return ops.exec();
            }
        });
        assertEquals(List.of(true, 30L, 1L), results);
        assertEquals("70", template.opsForValue().get("balance"));

        // a write by someone else between WATCH and EXEC: nothing runs, exec() is empty
        List<Object> conflicted = template.execute(new SessionCallback<List<Object>>() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public List<Object> execute(RedisOperations ops) throws DataAccessException {
                ops.watch("balance");
                template.opsForValue().set("balance", "0"); // another connection of the pool
                ops.multi();
                ops.opsForValue().set("balance", "999");
                return ops.exec();
            }
        });
        assertEquals(List.of(), conflicted);
        assertEquals("0", template.opsForValue().get("balance"));
    }

    @Test
    void defaultRedisScript() {
        DefaultRedisScript<Long> script = new DefaultRedisScript<>(
            "local n = redis.call('INCRBY', KEYS[1], ARGV[1])\n"
            + "redis.call('RPUSH', KEYS[2], n)\n"
            + "return n", Long.class);
        assertEquals(5L, template.execute(script, List.of("counter", "trail"), "5"));
        assertEquals(12L, template.execute(script, List.of("counter", "trail"), "7"));
        assertEquals(List.of("5", "12"), template.opsForList().range("trail", 0, -1));
        // after SCRIPT FLUSH, EVALSHA answers NOSCRIPT and Spring retries with EVAL
        template.execute((org.springframework.data.redis.core.RedisCallback<Object>) conn -> {
            conn.scriptingCommands().scriptFlush();
            return null;
        });
        assertEquals(13L, template.execute(script, List.of("counter", "trail"), "1"));
        DefaultRedisScript<List> listScript = new DefaultRedisScript<>("return {KEYS[1], ARGV[1]}", List.class);
        assertEquals(List.of("k", "v"), template.execute(listScript, List.of("k"), "v"));
    }
}
