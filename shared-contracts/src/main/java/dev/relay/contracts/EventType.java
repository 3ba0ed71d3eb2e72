package dev.relay.contracts;

import java.util.regex.Pattern;

/** Rules for event type names such as {@code vote.cast} (SPEC §2, §7). */
public final class EventType {

  /** Lowercase dotted name; each segment starts with a letter. */
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

  public static final int MAX_LENGTH = 64;

  private EventType() {}

  public static boolean isValidName(String type) {
    return type != null && type.length() <= MAX_LENGTH && NAME.matcher(type).matches();
  }

  /**
   * Volatile events ({@code typing.*}, {@code presence.*}) are delivered live and never replayed by
   * recovery; their ids are still valid resume points.
   */
  public static boolean isVolatile(String type) {
    return type.startsWith("typing.") || type.startsWith("presence.");
  }
}
