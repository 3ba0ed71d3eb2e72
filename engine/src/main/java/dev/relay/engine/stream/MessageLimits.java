package dev.relay.engine.stream;

/**
 * The bounds of streamed messages (SPEC §12), one home for both engines (the Redis script gets them
 * as arguments). A delta's own size (at most 4,096 characters) is the {@code message.delta}
 * schema's rule.
 *
 * @param maxContentBytes the most UTF-8 bytes a message's accumulated text may reach; a delta that
 *     would go beyond is refused ({@code message_too_large}) and nothing is applied
 * @param maxOpenMessages the most messages a room may have open at once; a first delta beyond is
 *     refused ({@code too_many_open_messages})
 */
public record MessageLimits(int maxContentBytes, int maxOpenMessages) {

  /** 256 KiB per message, 100 open messages per room. */
  public static final MessageLimits DEFAULTS = new MessageLimits(256 * 1024, 100);

  public MessageLimits {
    if (maxContentBytes < 1 || maxOpenMessages < 1) {
      throw new IllegalArgumentException("message limits must be positive");
    }
  }
}
