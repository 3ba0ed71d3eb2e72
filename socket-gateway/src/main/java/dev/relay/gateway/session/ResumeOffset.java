package dev.relay.gateway.session;

import dev.relay.contracts.EventId;
import dev.relay.gateway.hub.StreamVector;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A resume point for a whole connection: a {@link StreamVector} as a compact string. It is the
 * Socket.IO recovery offset (the last argument of every {@code event} packet, sent back as {@code
 * offset} on reconnect) and the SSE event id (sent back as {@code Last-Event-ID}).
 *
 * <p>Form: {@code <M>} then, per partition, {@code ~<d>-<s>.<epoch>}, or {@code ~_} when the epoch
 * is unknown; {@code M} is the largest millisecond part in base 36, {@code d} = M − the partition's
 * milliseconds and {@code s} its sequence, both base 36. Example for P = 2: {@code
 * lxyz12~0-0.k3f9ab~5k-1.q8w7e6}. It is self-contained (no server state), so any gateway can resume
 * from it. {@link #decode} never throws on client input.
 */
public final class ResumeOffset {

  /** Longest offset accepted from a client. */
  public static final int MAX_LENGTH = 4096;

  private static final Pattern ENTRY =
      Pattern.compile("[0-9a-z]{1,13}-[0-9a-z]{1,13}\\.[a-z0-9]{1,16}");

  private ResumeOffset() {}

  public static String encode(StreamVector v) {
    long max = 0;
    for (int p = 0; p < v.partitions(); p++) {
      max = Math.max(max, millis(v.streamId(p)));
    }
    StringBuilder out = new StringBuilder(24 * v.partitions()).append(Long.toString(max, 36));
    for (int p = 0; p < v.partitions(); p++) {
      out.append('~');
      String epoch = v.epoch(p);
      if (epoch == null) {
        out.append('_');
        continue;
      }
      String id = v.streamId(p);
      int dash = id.indexOf('-');
      out.append(Long.toString(max - millis(id), 36))
          .append('-')
          .append(Long.toString(Long.parseLong(id.substring(dash + 1)), 36))
          .append('.')
          .append(epoch);
    }
    return out.toString();
  }

  /** The vector of a client's offset, if it is well-formed and has {@code partitions} entries. */
  public static Optional<StreamVector> decode(String offset, int partitions) {
    if (offset == null || offset.isEmpty() || offset.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String[] parts = offset.split("~", -1);
    if (parts.length != partitions + 1 || !parts[0].matches("[0-9a-z]{1,13}")) {
      return Optional.empty();
    }
    try {
      long max = Long.parseLong(parts[0], 36);
      String[] ids = new String[partitions];
      String[] epochs = new String[partitions];
      for (int p = 0; p < partitions; p++) {
        String part = parts[p + 1];
        if (part.equals("_")) {
          ids[p] = "0-0";
          continue;
        }
        if (!ENTRY.matcher(part).matches()) {
          return Optional.empty();
        }
        int dash = part.indexOf('-');
        int dot = part.indexOf('.');
        long millis = max - Long.parseLong(part.substring(0, dash), 36);
        long sequence = Long.parseLong(part.substring(dash + 1, dot), 36);
        if (millis < 0 || sequence < 0) {
          return Optional.empty();
        }
        ids[p] = millis + "-" + sequence;
        epochs[p] = part.substring(dot + 1);
      }
      return Optional.of(StreamVector.of(ids, epochs));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static long millis(String streamId) {
    return Long.parseLong(streamId.substring(0, streamId.indexOf('-')));
  }

  /** True when {@code id} is at or before {@code v}'s position in {@code partition}. */
  public static boolean covers(StreamVector v, int partition, EventId id) {
    String epoch = v.epoch(partition);
    return epoch != null && epoch.equals(id.epoch()) && id.compareTo(v.position(partition)) <= 0;
  }

  /** Per partition the later position; where epochs differ, {@code b}'s (the newer life). */
  public static StreamVector max(StreamVector a, StreamVector b) {
    StreamVector out = b;
    for (int p = 0; p < a.partitions(); p++) {
      EventId pa = a.position(p);
      EventId pb = b.position(p);
      if (pa != null && (pb == null || (pa.epoch().equals(pb.epoch()) && pa.compareTo(pb) > 0))) {
        out = out.with(p, pa);
      }
    }
    return out;
  }

  /** True when {@code g} is at or after {@code floor} in every partition the floor knows. */
  public static boolean dominates(StreamVector g, StreamVector floor) {
    for (int p = 0; p < floor.partitions(); p++) {
      EventId f = floor.position(p);
      if (f == null) {
        continue;
      }
      EventId at = g.position(p);
      if (at == null || (at.epoch().equals(f.epoch()) && at.compareTo(f) < 0)) {
        return false;
      }
    }
    return true;
  }
}
