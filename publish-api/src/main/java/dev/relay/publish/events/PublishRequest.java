package dev.relay.publish.events;

/**
 * What publish-api needs from an HTTP publish request, transport-neutral. Header fields are null
 * when absent.
 */
public record PublishRequest(
    byte[] body,
    String contentType,
    String authorization,
    String signature,
    String idempotencyKey,
    String traceparent,
    String clientIp) {

  public PublishRequest {
    body = body == null ? new byte[0] : body;
  }
}
