package dev.relay.contracts.redis;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Where Relay keeps its data in Redis; every service must agree on it.
 *
 * <p>Events: one stream per room. Every key of a room carries the hash tag {@code {<room>}} (a room
 * name cannot contain braces, SPEC §4), so the stream, its meta hash, its idempotency keys and its
 * sharded Pub/Sub channel share one Redis Cluster slot, one Lua script can touch them all, and
 * rooms spread over the cluster's masters.
 *
 * <p>Presence keeps a fixed number of shards ({@link #PRESENCE_SHARDS}), each with its own hash tag
 * {@code {p<N>}}, so that a sweep of crashed gateways' members visits a bounded set of keys.
 */
public final class RedisKeyLayout {

  /** Shards of the presence store's indexes; the same for every service. */
  public static final int PRESENCE_SHARDS = 16;

  private static final String PREFIX = "relay:";

  private RedisKeyLayout() {}

  /** The room's stream of events. */
  public static String roomStream(String room) {
    return tag(room) + ":s";
  }

  /** The room's meta hash: epoch ({@code ep}), newest id ({@code last}), count ({@code n}). */
  public static String roomMeta(String room) {
    return tag(room) + ":m";
  }

  /** Remembers the id given to {@code nonce} in {@code room} for the idempotency window. */
  public static String roomNonce(String room, String nonce) {
    return tag(room) + ":n:" + nonce;
  }

  /**
   * The room's open streamed messages (SPEC §12), a hash: message id to {@code
   * seq|lastDeltaMillis|lastDeltaId|conversationId}.
   */
  public static String roomOpenMessages(String room) {
    return tag(room) + ":mo";
  }

  /** The accumulated text of open message {@code messageId} of the room (a string, appended to). */
  public static String roomMessageText(String room, String messageId) {
    return roomMessageTextPrefix(room) + messageId;
  }

  /** What every {@link #roomMessageText} key of the room starts with. */
  public static String roomMessageTextPrefix(String room) {
    return tag(room) + ":mc:";
  }

  /** Marks message {@code messageId} of the room as completed (for the room's retention). */
  public static String roomMessageDone(String room, String messageId) {
    return tag(room) + ":md:" + messageId;
  }

  /**
   * The room's publish token bucket (SPEC §2 per-room limit), a hash: {@code t} tokens left, {@code
   * ts} time of that count (ms, Redis clock). On the room's slot, so the append script takes the
   * token in the same atomic step as the append.
   */
  public static String roomRateLimit(String room) {
    return tag(room) + ":rl";
  }

  /** The room's sharded Pub/Sub channel of live events. */
  public static String roomChannel(String room) {
    return tag(room) + ":live";
  }

  /** The room of a key or channel made by this class, or null if it is not one. */
  public static String roomOf(String keyOrChannel) {
    if (!keyOrChannel.startsWith(PREFIX + "{")) {
      return null;
    }
    int end = keyOrChannel.indexOf('}', PREFIX.length() + 1);
    return end < 0 ? null : keyOrChannel.substring(PREFIX.length() + 1, end);
  }

  /** The presence shard of a room: {@code crc32(utf8(room)) mod PRESENCE_SHARDS}. */
  public static int presenceShardOf(String room) {
    CRC32 crc = new CRC32();
    crc.update(room.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % PRESENCE_SHARDS);
  }

  private static String tag(String room) {
    return PREFIX + "{" + room + "}";
  }
}
