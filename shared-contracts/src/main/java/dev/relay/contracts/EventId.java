package dev.relay.contracts;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id of a stored event, in text {@code <millis>-<sequence>.<epoch>}, e.g. {@code
 * 1732326000000-0.k3f9ab}.
 *
 * <p>Clients treat it as opaque; servers rely on two properties. Within one room ids of the same
 * epoch are strictly increasing in the order events were appended (each room has its own stream).
 * The epoch names one life of the room's stream: it changes when the stream is lost (a Redis
 * restart without persistence, a flush), so an id from an older epoch proves nothing about what was
 * missed and recovery answers {@code recovered:false}.
 */
public record EventId(long millis, long sequence, String epoch) implements Comparable<EventId> {

  private static final Pattern TEXT = Pattern.compile("(\\d{1,19})-(\\d{1,19})\\.([a-z0-9]{1,16})");
  private static final Pattern EPOCH = Pattern.compile("[a-z0-9]{1,16}");

  /** The position before every entry of a stream: {@code 0-0}. */
  public static final String STREAM_START = "0-0";

  public EventId {
    if (millis < 0 || sequence < 0) {
      throw new IllegalArgumentException("event id parts must not be negative");
    }
    if (epoch == null || !EPOCH.matcher(epoch).matches()) {
      throw new IllegalArgumentException("epoch must match [a-z0-9]{1,16}");
    }
  }

  /** Parses the text form; empty for anything else (never throws, safe for client input). */
  public static Optional<EventId> parse(String text) {
    if (text == null || text.length() > 60) {
      return Optional.empty();
    }
    Matcher m = TEXT.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new EventId(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Builds an id from a Redis stream entry id ({@code <millis>-<sequence>}) and its epoch. */
  public static EventId ofStreamId(String streamId, String epoch) {
    int dash = streamId.indexOf('-');
    return new EventId(
        Long.parseLong(streamId.substring(0, dash)),
        Long.parseLong(streamId.substring(dash + 1)),
        epoch);
  }

  /** The Redis stream entry id, {@code <millis>-<sequence>}. */
  public String streamId() {
    return millis + "-" + sequence;
  }

  /** Orders by stream position only; compare ids of the same epoch. */
  @Override
  public int compareTo(EventId other) {
    int byMillis = Long.compare(millis, other.millis);
    return byMillis != 0 ? byMillis : Long.compare(sequence, other.sequence);
  }

  @Override
  public String toString() {
    return millis + "-" + sequence + "." + epoch;
  }
}
