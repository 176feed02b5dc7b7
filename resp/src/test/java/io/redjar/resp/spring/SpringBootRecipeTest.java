package io.redjar.resp.spring;

import io.redjar.ManualClock;
import io.redjar.Store;
import io.redjar.resp.RedJarServer;
import io.redjar.resp.ServerOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.StringRedisSerializer;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spring Boot recipe (docs/spring-boot.md): a Boot application whose Redis is RedJar's RESP
 * server, started for the test, with everything else left to Boot's auto-configuration (Lettuce).
 *
 * <p>How the server is wired in: {@link RedJarForTests} makes the store, the server and a
 * {@link RedisConnectionDetails} bean pointing at the server's (ephemeral) port. Boot's Redis
 * auto-configuration backs off its property-based connection details when such a bean exists (the
 * mechanism behind Testcontainers' {@code @ServiceConnection}), so no {@code spring.data.redis.*}
 * property is needed. Being beans, the server lives exactly as long as the application context:
 * Spring's test context cache may keep the context for later test classes, and the server stays
 * up with it; when the cache closes the context (eviction, or at JVM exit) the server is closed
 * with it ({@code RedJarServer.close}, the inferred destroy method), never before. A static server
 * with {@code @DynamicPropertySource} would have to outlive every cached context by hand.
 *
 * <p>The store runs on a {@link ManualClock}, so the TTLs (the cache's {@code time-to-live},
 * a session's max inactive interval) are checked by advancing the server's clock, without sleeps.
 * One context for the class; each test starts from an empty store.
 */
@SpringBootTest(classes = SpringBootRecipeTest.RecipeApp.class, properties = {
    "spring.cache.type=redis",
    "spring.cache.redis.time-to-live=10m",
    "spring.main.banner-mode=off",
    "spring.main.log-startup-info=false",
    "spring.data.redis.repositories.enabled=false", // no Spring Data repositories here: skip the scan
})
class SpringBootRecipeTest {

    /**
     * The application under test: a plain Boot application with caching. Its beans are imported:
     * Boot's test component scan skips the classes nested in a test class, by design; in an
     * application the service would be a top-level {@code @Service} found by the scan.
     */
    @SpringBootApplication
    @EnableCaching
    @Import({PriceService.class, RedJarForTests.class, SessionConfig.class})
    static class RecipeApp {
    }

    /** RedJar for the tests: a store on a manual clock, its server, and the connection details Boot uses. */
    @TestConfiguration(proxyBeanMethods = false)
    static class RedJarForTests {
        @Bean // starts at the wall time: Spring Session writes absolute expiry times (PEXPIREAT)
        ManualClock redJarClock() {
            return new ManualClock(System.currentTimeMillis());
        }

        @Bean // closed by the context (Store.close is the inferred destroy method), after the server
        Store redJarStore(ManualClock clock) {
            return Store.builder().clock(clock).open();
        }

        @Bean // port 0: any free port, so parallel builds do not collide
        RedJarServer redJarServer(Store store) {
            return RedJarServer.start(store, ServerOptions.defaults().port(0).databases(store.databases()));
        }

        @Bean
        RedisConnectionDetails redisConnectionDetails(RedJarServer server) {
            return new RedisConnectionDetails() {
                @Override
                public Standalone getStandalone() {
                    return Standalone.of("127.0.0.1", server.port());
                }
            };
        }
    }

    /** Spring Session's plain Redis repository (Boot configures Spring Session only in a web application). */
    @TestConfiguration(proxyBeanMethods = false)
    static class SessionConfig {
        @Bean
        RedisSessionRepository sessionRepository(RedisConnectionFactory factory) {
            RedisTemplate<String, Object> template = new RedisTemplate<>();
            template.setConnectionFactory(factory);
            template.setKeySerializer(StringRedisSerializer.UTF_8);
            template.setHashKeySerializer(StringRedisSerializer.UTF_8);
            template.setValueSerializer(new JdkSerializationRedisSerializer());
            template.setHashValueSerializer(new JdkSerializationRedisSerializer());
            template.afterPropertiesSet();
            RedisSessionRepository repository = new RedisSessionRepository(template);
            repository.setDefaultMaxInactiveInterval(Duration.ofMinutes(30));
            return repository;
        }
    }

    /** A service whose results Spring caches in RedJar; {@link #calls()} counts the real computations. */
    @Service
    static class PriceService {
        private final AtomicInteger calls = new AtomicInteger();

        /** @return how many times {@link #price} really ran (a method: the bean is a caching proxy) */
        public int calls() {
            return calls.get();
        }

        public void resetCalls() {
            calls.set(0);
        }

        @Cacheable("prices")
        public String price(String item) {
            calls.incrementAndGet();
            return item + ":" + item.length() * 100;
        }

        @CacheEvict("prices")
        public void evict(String item) {
        }
    }

    @Autowired StringRedisTemplate strings;
    @Autowired RedisTemplate<Object, Object> objects;
    @Autowired RedisConnectionFactory connectionFactory;
    @Autowired CacheManager cacheManager;
    @Autowired PriceService prices;
    @Autowired SessionRepository<? extends Session> sessions;
    @Autowired RedJarServer server;
    @Autowired ManualClock clock;

    @BeforeEach
    void emptyStore() {
        server.store().execute("FLUSHALL");
        prices.resetCalls();
    }

    @Test
    void bootAutoConfiguresLettuceAgainstTheServer() {
        LettuceConnectionFactory lettuce = assertInstanceOf(LettuceConnectionFactory.class, connectionFactory);
        assertEquals(server.port(), lettuce.getPort());
        assertInstanceOf(RedisCacheManager.class, cacheManager);
        try (var connection = connectionFactory.getConnection()) {
            assertEquals("PONG", connection.ping());
        }
    }

    @Test
    void templatesStringsHashesLists() {
        strings.opsForValue().set("greeting", "hello");
        assertEquals("hello", strings.opsForValue().get("greeting"));
        assertEquals("hello", ((io.redjar.Reply.Bulk) server.store().execute("GET", "greeting")).asString());
        strings.opsForHash().putAll("user:1", Map.of("name", "ada", "lang", "en"));
        assertEquals("ada", strings.opsForHash().get("user:1", "name"));
        assertEquals(Map.of("name", "ada", "lang", "en"), strings.opsForHash().entries("user:1"));
        strings.opsForList().rightPushAll("queue", "a", "b", "c");
        assertEquals("a", strings.opsForList().leftPop("queue"));
        assertEquals(List.of("b", "c"), strings.opsForList().range("queue", 0, -1));
        // the auto-configured RedisTemplate<Object, Object> (JDK serialization) round-trips objects
        objects.opsForValue().set("obj", List.of(1, 2, 3));
        assertEquals(List.of(1, 2, 3), objects.opsForValue().get("obj"));
    }

    @Test
    void transactionThroughSessionCallback() {
        strings.opsForValue().set("balance", "100");
        List<Object> results = strings.execute(new SessionCallback<List<Object>>() {
            @Override
            @SuppressWarnings("unchecked")
            public <K, V> List<Object> execute(RedisOperations<K, V> ops) throws DataAccessException {
                RedisOperations<String, String> o = (RedisOperations<String, String>) ops;
                o.watch("balance");
                o.multi();
                o.opsForValue().decrement("balance", 30);
                o.opsForValue().increment("spent", 30);
                return o.exec();
            }
        });
        assertEquals(List.of(70L, 30L), results);
        assertEquals("70", strings.opsForValue().get("balance"));

        // a write to the watched key between WATCH and EXEC aborts the transaction: exec() is empty
        List<Object> aborted = strings.execute(new SessionCallback<List<Object>>() {
            @Override
            @SuppressWarnings("unchecked")
            public <K, V> List<Object> execute(RedisOperations<K, V> ops) throws DataAccessException {
                RedisOperations<String, String> o = (RedisOperations<String, String>) ops;
                o.watch("balance");
                server.store().execute("SET", "balance", "0"); // another client's write
                o.multi();
                o.opsForValue().decrement("balance", 30);
                return o.exec();
            }
        });
        assertEquals(List.of(), aborted);
        assertEquals("0", strings.opsForValue().get("balance"));
    }

    @Test
    void luaScript() {
        DefaultRedisScript<Long> script = new DefaultRedisScript<>(
            "local v = redis.call('INCRBY', KEYS[1], ARGV[1]) "
                + "if v > tonumber(ARGV[2]) then redis.call('SET', KEYS[1], ARGV[2]) return tonumber(ARGV[2]) end "
                + "return v", Long.class);
        assertEquals(5L, strings.execute(script, List.of("capped"), "5", "12"));
        assertEquals(10L, strings.execute(script, List.of("capped"), "5", "12"));
        assertEquals(12L, strings.execute(script, List.of("capped"), "5", "12"));
        assertEquals("12", strings.opsForValue().get("capped"));
    }

    @Test
    void cacheableAndCacheEvictWithTheConfiguredTtl() {
        assertEquals("pen:300", prices.price("pen"));
        assertEquals("pen:300", prices.price("pen"));
        assertEquals(1, prices.calls(), "the second call is served from the cache");
        // Boot's RedisCacheManager: key "prices::pen", TTL spring.cache.redis.time-to-live (10m)
        assertEquals(Duration.ofMinutes(10).toMillis(), strings.getExpire("prices::pen", TimeUnit.MILLISECONDS));

        prices.evict("pen");
        assertFalse(strings.hasKey("prices::pen"), "@CacheEvict deletes the entry");
        assertEquals("pen:300", prices.price("pen"));
        assertEquals(2, prices.calls());

        // the server's clock passes the TTL: the entry is gone and the next call computes again
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertEquals("pen:300", prices.price("pen"));
        assertEquals(2, prices.calls(), "still cached 1 ms before the TTL");
        clock.advance(Duration.ofMillis(1));
        assertEquals("pen:300", prices.price("pen"));
        assertEquals(3, prices.calls(), "recomputed once the TTL has passed");
    }

    @Test
    void springSessionSavedAndReadBack() {
        roundTrip(sessions);
    }

    /** Through the {@link SessionRepository} interface, as a web application's session filter uses it. */
    private <S extends Session> void roundTrip(SessionRepository<S> repository) {
        // RedisSessionRepository expires a session at lastAccessedTime (the JVM's clock) plus the
        // max inactive interval, with PEXPIREAT: the server's clock is put at the JVM's time first
        clock.set(System.currentTimeMillis());
        S session = repository.createSession();
        session.setAttribute("user", "ada");
        session.setAttribute("cart", List.of("pen", "ink"));
        repository.save(session);

        S loaded = repository.findById(session.getId());
        assertNotNull(loaded);
        assertEquals("ada", loaded.getAttribute("user"));
        assertEquals(List.of("pen", "ink"), loaded.getAttribute("cart"));
        String key = "spring:session:sessions:" + session.getId();
        long ttl = strings.getExpire(key, TimeUnit.MILLISECONDS);
        assertTrue(ttl >= Duration.ofMinutes(30).toMillis() && ttl < Duration.ofMinutes(31).toMillis(), "PTTL " + ttl);

        // the session expires on the server when its max inactive interval has passed
        long expiresAt = session.getLastAccessedTime().plus(Duration.ofMinutes(30)).toEpochMilli();
        clock.set(expiresAt - 1);
        assertNotNull(repository.findById(session.getId()), "still there 1 ms before the interval ends");
        clock.set(expiresAt);
        assertNull(repository.findById(session.getId()));
        assertFalse(strings.hasKey(key));
    }
}
