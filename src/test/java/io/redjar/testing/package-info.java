/**
 * Test-side harness for differential testing of RedJar against a real Redis 7.0.
 *
 * <ul>
 *   <li>{@link io.redjar.testing.RedisServerProcess}: a {@code redis-server} child process on a free
 *       loopback port; {@link io.redjar.testing.RequiresRedis} /
 *       {@link io.redjar.testing.RedisServerExtension} share one per test run and inject it, or
 *       {@link io.redjar.testing.RespClient} connections, into tests (skipped loudly without
 *       {@code redis-server}, failed on CI).</li>
 *   <li>{@link io.redjar.testing.RespClient} and {@link io.redjar.testing.RespDecoder}: a blocking
 *       RESP3 client decoding into {@link io.redjar.Reply}.</li>
 *   <li>{@link io.redjar.testing.ReplyComparator}, {@link io.redjar.testing.ReplyAssert},
 *       {@link io.redjar.testing.ReplyFormat}: reply comparison (exact, unordered, TTL-tolerant,
 *       type-only) with readable failure messages.</li>
 *   <li>{@link io.redjar.testing.DifferentialRunner}, {@link io.redjar.testing.Step},
 *       {@link io.redjar.testing.CommandGenerator}, {@link io.redjar.testing.StringCommandGenerator}:
 *       seeded random command sequences run against both targets, stopping at the first mismatch
 *       with a replayable script ({@code -Dredjar.seed=...}).</li>
 * </ul>
 *
 * <p>Typical differential test:
 * <pre>{@code
 * @RequiresRedis
 * class StringDifferentialTest {
 *     @Test
 *     void randomStringCommands(RespClient redis) {
 *         Session redjar = ...;                                  // fresh, empty
 *         long seed = DifferentialRunner.seedOr(1L);             // -Dredjar.seed=... replays
 *         new DifferentialRunner(redis, redjar::execute).run(new StringCommandGenerator(seed), 2000);
 *     }
 * }
 * }</pre>
 */
package io.redjar.testing;
