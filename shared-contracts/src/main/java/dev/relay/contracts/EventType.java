package dev.relay.contracts;

import java.util.regex.Pattern;

/** Rules for event type names such as {@code vote.cast} (SPEC §2, §7). */
public final class EventType {

  /** Lowercase dotted name; each segment starts with a letter. */
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

  public static final int MAX_LENGTH = 64;

  /** A piece of a streamed message (SPEC §12): volatile, applied to the message's text in order. */
  public static final String MESSAGE_DELTA = "message.delta";

  /** The end of a streamed message, with its whole text (SPEC §12): durable, in history. */
  public static final String MESSAGE_COMPLETED = "message.completed";

  /**
   * A streamed message's text so far, sent by the relay itself on subscribe, history and recovery
   * (SPEC §12): volatile, never stored, never accepted from a publisher.
   */
  public static final String MESSAGE_SNAPSHOT = "message.snapshot";

  private EventType() {}

  public static boolean isValidName(String type) {
    return type != null && type.length() <= MAX_LENGTH && NAME.matcher(type).matches();
  }

  /**
   * Volatile events ({@code typing.*}, {@code presence.*}, {@code message.delta} and {@code
   * message.snapshot}) are delivered live and never replayed by recovery nor part of history; their
   * ids are still valid resume points. The one rule of volatility: the engine stores it with each
   * entry, replay and history skip by it.
   */
  public static boolean isVolatile(String type) {
    return type.startsWith("typing.")
        || type.startsWith("presence.")
        || type.equals(MESSAGE_DELTA)
        || type.equals(MESSAGE_SNAPSHOT);
  }

  /**
   * Types only the relay itself emits ({@code presence.*}, {@code message.snapshot}): a client
   * connection may not publish them.
   */
  public static boolean isRelayGenerated(String type) {
    return type.startsWith("presence.") || type.equals(MESSAGE_SNAPSHOT);
  }
}
