package dev.relay.contracts;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A room name {@code <kind>:<id>}: kind {@code [a-z][a-z0-9_-]{0,31}}, id {@code
 * [A-Za-z0-9._~@-]{1,128}} (SPEC §4). Instances are always valid; parse untrusted input with {@link
 * #parse(String)}.
 */
public record RoomName(String kind, String id) {

  private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._~@-]{1,128}");

  private static final Pattern PREFIX =
      Pattern.compile("([a-z][a-z0-9_-]{0,31}(:[A-Za-z0-9._~@-]{0,128})?)?");

  /** The longest valid room name: 32 + 1 + 128 characters. */
  public static final int MAX_LENGTH = 161;

  public RoomName {
    if (kind == null || !KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException("room kind must match [a-z][a-z0-9_-]{0,31}");
    }
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("room id must match [A-Za-z0-9._~@-]{1,128}");
    }
  }

  /** Parses {@code kind:id}; empty when the text is not a valid room name. Never throws. */
  public static Optional<RoomName> parse(String text) {
    if (text == null || text.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    int colon = text.indexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    String kind = text.substring(0, colon);
    String id = text.substring(colon + 1);
    if (!KIND.matcher(kind).matches() || !ID.matcher(id).matches()) {
      return Optional.empty();
    }
    return Optional.of(new RoomName(kind, id));
  }

  public static boolean isValid(String text) {
    return parse(text).isPresent();
  }

  /**
   * True when {@code text} is the start of some valid room name ("" included), e.g. {@code team},
   * {@code team:} or {@code team:4}: the prefixes that listing rooms accepts.
   */
  public static boolean isValidPrefix(String text) {
    return text != null && text.length() <= MAX_LENGTH && PREFIX.matcher(text).matches();
  }

  /** True when {@code text} is a valid room kind (the part before the colon). */
  public static boolean isValidKind(String text) {
    return text != null && KIND.matcher(text).matches();
  }

  /** The room that a Planning Poker session id maps to: {@code session:<sessionId>}. */
  public static RoomName session(String sessionId) {
    return new RoomName("session", sessionId);
  }

  @Override
  public String toString() {
    return kind + ":" + id;
  }
}
