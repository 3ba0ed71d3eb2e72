package dev.relay.publish.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the credentials of a publish request (SPEC §2): {@code Authorization: Bearer <key>} or
 * {@code X-Relay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>.<raw body>")>}, where
 * the key is any of the configured keys (several keys allow rotation) and {@code t} is within
 * {@link #TOLERANCE} of now.
 *
 * <p>Every comparison of secret material uses {@link MessageDigest#isEqual} and every configured
 * key is tried, so timing does not reveal which key or how much of it matched. Thread-safe;
 * framework-free.
 */
public final class PublishAuthenticator {

  public static final Duration TOLERANCE = Duration.ofSeconds(300);
  private static final String HMAC = "HmacSHA256";

  private final List<byte[]> keys;
  private final Clock clock;

  public PublishAuthenticator(List<byte[]> keys, Clock clock) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one key");
    }
    this.keys = keys.stream().map(byte[]::clone).toList();
    this.clock = clock;
  }

  /**
   * True when either header carries valid credentials for {@code rawBody}. Either header may be
   * null; a malformed header is simply not valid.
   */
  public boolean authenticate(String authorization, String signature, byte[] rawBody) {
    boolean bearer = authorization != null && bearerMatches(authorization);
    boolean signed = signature != null && signatureMatches(signature, rawBody);
    return bearer || signed;
  }

  /**
   * Whether the headers alone leave room for valid credentials, so the body is worth reading (SPEC
   * §10: a request without credentials is refused before its body is read). A signature can only be
   * checked against the body, so a well-formed signature within {@link #TOLERANCE} is plausible;
   * without one, only a valid bearer key is. Never gives false for a request that {@link
   * #authenticate} would accept.
   */
  public boolean plausible(String authorization, String signature) {
    if (signature != null) {
      SignatureHeader parsed = SignatureHeader.parse(signature).orElse(null);
      if (parsed != null && withinTolerance(parsed.timestamp())) {
        return true;
      }
    }
    return authorization != null && bearerMatches(authorization);
  }

  private boolean withinTolerance(long timestamp) {
    return Math.abs(clock.instant().getEpochSecond() - timestamp) <= TOLERANCE.toSeconds();
  }

  private boolean bearerMatches(String authorization) {
    if (authorization.length() < 7
        || !authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return false;
    }
    byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (byte[] key : keys) {
      match |= MessageDigest.isEqual(key, presented);
    }
    return match;
  }

  private boolean signatureMatches(String header, byte[] rawBody) {
    SignatureHeader parsed = SignatureHeader.parse(header).orElse(null);
    if (parsed == null) {
      return false;
    }
    if (!withinTolerance(parsed.timestamp())) {
      return false;
    }
    byte[] signedPrefix = (parsed.timestamp() + ".").getBytes(StandardCharsets.US_ASCII);
    boolean match = false;
    for (byte[] key : keys) {
      byte[] expected = sign(key, signedPrefix, rawBody);
      for (byte[] candidate : parsed.signatures()) {
        match |= MessageDigest.isEqual(expected, candidate);
      }
    }
    return match;
  }

  /** {@code hex(HMAC-SHA256(key, "<t>.<body>"))}: what a publisher sends as {@code v1}. */
  public static String signatureOf(byte[] key, long timestamp, byte[] body) {
    byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
    return HexFormat.of().formatHex(sign(key, prefix, body));
  }

  private static byte[] sign(byte[] key, byte[] prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      mac.update(prefix);
      mac.update(body);
      return mac.doFinal();
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
