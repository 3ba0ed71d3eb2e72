package dev.relay.gateway.session;

import dev.relay.contracts.EventId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resume point for a whole connection: per room of the connection, the id of the last event it
 * delivered there (or the room's start position), as a compact self-contained string. It is the
 * Socket.IO recovery offset (the last argument of every {@code event} packet, sent back as {@code
 * offset} on reconnect) and the SSE event id (sent back as {@code Last-Event-ID}).
 *
 * <p>Form: {@code <M>} then, per room, {@code ~<key>.<d>-<s>.<epoch>}, entries sorted by key.
 * {@code key} is {@link #key} of the room name (40 bits of its SHA-256, base 36, at most 8
 * characters), {@code M} the largest millisecond part of the entries in base 36, {@code d} = M −
 * the entry's milliseconds and {@code s} its sequence, both base 36. Example with two rooms: {@code
 * lxyz12~1k2j3h.0-0.k3f9ab~9zq81c.5k-1.q8w7e6}. Equal positions encode to equal strings, so
 * connections in the same rooms at the same positions share one encoded frame.
 *
 * <p>Any gateway resumes from it (no server state). {@link #decode} never throws on client input;
 * an entry whose key two rooms share (a hash collision, never seen in practice) is dropped, so both
 * rooms count as without position and the resume answers {@code recovered:false} rather than guess.
 * Ids of the old partitioned layout do not parse, so they too resume with {@code recovered:false}.
 */
public final class ResumeOffset {

  /** Longest offset accepted from a client. */
  public static final int MAX_LENGTH = 4096;

  private static final Pattern HEAD = Pattern.compile("[0-9a-z]{1,13}");
  private static final Pattern ENTRY =
      Pattern.compile("([0-9a-z]{1,8})\\.([0-9a-z]{1,13})-([0-9a-z]{1,13})\\.([a-z0-9]{1,16})");

  private final Map<String, EventId> byKey;

  private ResumeOffset(Map<String, EventId> byKey) {
    this.byKey = byKey;
  }

  /** The short, stable key of a room in offsets. */
  public static String key(String room) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(room.getBytes(StandardCharsets.UTF_8));
      long bits = 0;
      for (int i = 0; i < 5; i++) {
        bits = (bits << 8) | (digest[i] & 0xff);
      }
      return Long.toString(bits, 36);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  /** The offset of a connection whose only room is {@code room}, at {@code position}. */
  public static String one(String room, EventId position) {
    return encode(Map.of(key(room), position));
  }

  /** Encodes positions by room {@link #key}. */
  public static String encode(Map<String, EventId> positionsByKey) {
    long highest = 0;
    for (EventId id : positionsByKey.values()) {
      highest = Math.max(highest, id.millis());
    }
    long max = highest;
    StringBuilder out =
        new StringBuilder(8 + 28 * positionsByKey.size()).append(Long.toString(max, 36));
    Map<String, EventId> sorted =
        positionsByKey.size() > 1 ? new TreeMap<>(positionsByKey) : positionsByKey;
    sorted.forEach(
        (key, id) ->
            out.append('~')
                .append(key)
                .append('.')
                .append(Long.toString(max - id.millis(), 36))
                .append('-')
                .append(Long.toString(id.sequence(), 36))
                .append('.')
                .append(id.epoch()));
    return out.toString();
  }

  /** The positions of a client's offset, if it is well-formed. */
  public static Optional<ResumeOffset> decode(String offset) {
    if (offset == null || offset.isEmpty() || offset.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String[] parts = offset.split("~", -1);
    if (!HEAD.matcher(parts[0]).matches()) {
      return Optional.empty();
    }
    try {
      long max = Long.parseLong(parts[0], 36);
      Map<String, EventId> byKey = new HashMap<>();
      Set<String> shared = new HashSet<>();
      for (int i = 1; i < parts.length; i++) {
        Matcher entry = ENTRY.matcher(parts[i]);
        if (!entry.matches()) {
          return Optional.empty();
        }
        long millis = max - Long.parseLong(entry.group(2), 36);
        long sequence = Long.parseLong(entry.group(3), 36);
        if (millis < 0 || sequence < 0) {
          return Optional.empty();
        }
        String key = entry.group(1);
        if (byKey.put(key, new EventId(millis, sequence, entry.group(4))) != null) {
          shared.add(key);
        }
      }
      shared.forEach(byKey::remove);
      return Optional.of(new ResumeOffset(byKey));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The position of {@code room} in this offset, or null when it has none. */
  public EventId position(String room) {
    return byKey.get(key(room));
  }

  /** How many rooms this offset has a position for. */
  public int size() {
    return byKey.size();
  }
}
