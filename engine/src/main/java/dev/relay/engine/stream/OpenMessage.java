package dev.relay.engine.stream;

/**
 * A streamed message that has not completed: its text up to and including delta {@code seq}. What a
 * {@code message.snapshot} carries.
 */
public record OpenMessage(String messageId, String conversationId, long seq, String content) {}
