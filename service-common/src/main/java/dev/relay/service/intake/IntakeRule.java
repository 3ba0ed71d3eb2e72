package dev.relay.service.intake;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * What a request on one route may send before the service reads its body.
 *
 * @param maxBodyBytes a larger {@code Content-Length} is answered 413 before the body is read, and
 *     a chunked body is cut off (413, connection closed) once it grows past this
 * @param credentials null when the route needs none; otherwise headers it refuses are answered 401
 *     before the body is read
 * @param streamed true for a route whose body is a long-lived stream (SPEC §12 {@code :stream}):
 *     {@code RELAY_REQUEST_TIMEOUT} then limits only its headers, never its body; the route's own
 *     handler bounds the body's idle time and total length
 */
public record IntakeRule(long maxBodyBytes, CredentialCheck credentials, boolean streamed) {

  /** Any route a service does not name: bodies of ops and admin requests are small. */
  public static final long DEFAULT_MAX_BODY_BYTES = 16 * 1024;

  public static final IntakeRule DEFAULT = new IntakeRule(DEFAULT_MAX_BODY_BYTES, null);

  /** A route whose whole request (headers and body) must arrive within the request timeout. */
  public IntakeRule(long maxBodyBytes, CredentialCheck credentials) {
    this(maxBodyBytes, credentials, false);
  }

  public IntakeRule {
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("maxBodyBytes must not be negative: " + maxBodyBytes);
    }
  }

  /** Decides from the headers alone whether a request may carry valid credentials. */
  @FunctionalInterface
  public interface CredentialCheck {
    /**
     * False when the headers prove the request has no valid credentials (none at all, a wrong
     * bearer key, a malformed or stale signature). True when they are valid or can only be checked
     * against the body. Called on a Netty event loop: must not block. Thread-safe.
     */
    boolean plausible(HttpHeaders headers);
  }
}
