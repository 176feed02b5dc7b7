/**
 * The per-key access state eviction reads, kept below the keyspace so that the keyspace, the
 * types, the snapshot code and the settings can use it without depending on the evictor: the
 * policy names ({@link io.redjar.internal.eviction.access.EvictionPolicy}), Redis's LFU counter
 * arithmetic ({@link io.redjar.internal.eviction.access.Lfu}) and each shard's W-TinyLFU state
 * ({@link io.redjar.internal.eviction.access.ShardAdmission}: a frequency sketch and an admission
 * window). Depends on nothing else in RedJar.
 */
package io.redjar.internal.eviction.access;
