package dev.relay.contracts.redis;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Where Relay keeps its data in Redis; every service must agree on it.
 *
 * <p>Events of a room live in one partition stream {@code relay:{p<N>}:events} with {@code N =
 * crc32(room) mod P}. Every key of a partition carries the hash tag {@code {p<N>}}, so a Lua script
 * touching the stream, its epoch and its idempotency keys runs on one Redis Cluster slot, and the P
 * partitions spread over the cluster's masters.
 */
public final class RedisKeyLayout {

  public static final int DEFAULT_PARTITIONS = 16;
  private static final String PREFIX = "relay:";

  private final int partitions;

  public RedisKeyLayout(int partitions) {
    if (partitions < 1 || partitions > 1024) {
      throw new IllegalArgumentException("partitions must be between 1 and 1024");
    }
    this.partitions = partitions;
  }

  public int partitions() {
    return partitions;
  }

  /** The partition of a room: {@code crc32(utf8(room)) mod P}. Stable across languages. */
  public int partitionOf(String room) {
    CRC32 crc = new CRC32();
    crc.update(room.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % partitions);
  }

  /** The Redis Stream holding the partition's events. */
  public String streamKey(int partition) {
    return tag(partition) + ":events";
  }

  /** The partition stream's current epoch (see {@link dev.relay.contracts.EventId}). */
  public String epochKey(int partition) {
    return tag(partition) + ":epoch";
  }

  /** Remembers the id given to {@code nonce} in {@code room} for 24 hours. */
  public String idempotencyKey(String room, String nonce) {
    return tag(partitionOf(room)) + ":nonce:" + room + ":" + nonce;
  }

  private static String tag(int partition) {
    return PREFIX + "{p" + partition + "}";
  }
}
