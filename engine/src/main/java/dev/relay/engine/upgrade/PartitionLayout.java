package dev.relay.engine.upgrade;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The partitioned layout of the release before per-room streams (commit 13bbfcc), exactly as its
 * processes read and write it, for the rolling upgrade only (see {@code
 * docs/upgrade-partitions.md}). The old {@code dev.relay.contracts.redis.RedisKeyLayout} is gone
 * from {@code shared-contracts}; these names and the partition function must stay byte for byte
 * what it computed, or old and new processes would not meet.
 *
 * <p>A room lives in partition {@code crc32(utf8(room)) mod P}; every key of a partition carries
 * the hash tag {@code {p<N>}}, so one script can touch a partition's keys on a Redis Cluster.
 * Entries carry the fields {@code ep r t x [tp] e}; entries copied from the new layout by {@link
 * LegacyMirror} carry {@link #SOURCE} = {@link #FROM_ROOMS} in addition, which old readers ignore
 * and {@link PartitionBridge} uses to skip them.
 */
public final class PartitionLayout {

  static final String EPOCH = "ep";
  static final String ROOM = "r";
  static final String TYPE = "t";
  static final String VOLATILE = "x";
  static final String TRACEPARENT = "tp";
  static final String ENVELOPE = "e";

  /** Marker field of an entry written by the new release. */
  static final String SOURCE = "src";

  static final String FROM_ROOMS = "rooms";

  private static final String PREFIX = "relay:";

  private final int partitions;

  /**
   * @param partitions P of the old release ({@code RELAY_PARTITIONS}, default 16), given to the new
   *     release as {@code RELAY_UPGRADE_PARTITIONS}
   * @throws IllegalArgumentException outside 1..1024, the old release's bounds
   */
  public PartitionLayout(int partitions) {
    if (partitions < 1 || partitions > 1024) {
      throw new IllegalArgumentException(
          "RELAY_UPGRADE_PARTITIONS must be the old RELAY_PARTITIONS, between 1 and 1024: "
              + partitions);
    }
    this.partitions = partitions;
  }

  public int partitions() {
    return partitions;
  }

  /** The partition of a room: {@code crc32(utf8(room)) mod P}, as the old release computed it. */
  public int partitionOf(String room) {
    CRC32 crc = new CRC32();
    crc.update(room.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % partitions);
  }

  /** {@code relay:{p<N>}:events}, the partition's stream. */
  public String streamKey(int partition) {
    return tag(partition) + ":events";
  }

  /** {@code relay:{p<N>}:epoch}, the epoch of the partition stream's current life. */
  public String epochKey(int partition) {
    return tag(partition) + ":epoch";
  }

  /** {@code relay:{p<N>}:nonce:<room>:<nonce>}, the old idempotency key. */
  public String nonceKey(String room, String nonce) {
    return tag(partitionOf(room)) + ":nonce:" + room + ":" + nonce;
  }

  /**
   * {@code relay:{p<N>}:bridged}: the newest entry of the partition that some {@link
   * PartitionBridge} copied with every entry before it. New in the upgrade; old processes never
   * read it.
   */
  public String bridgedKey(int partition) {
    return tag(partition) + ":bridged";
  }

  private static String tag(int partition) {
    return PREFIX + "{p" + partition + "}";
  }
}
