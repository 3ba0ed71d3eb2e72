package dev.relay.publish.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishAuthenticatorTest {

  private static final byte[] KEY_A = "a".repeat(32).getBytes(StandardCharsets.UTF_8);
  private static final byte[] KEY_B = "b".repeat(40).getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
  private static final byte[] BODY = "{\"sessionId\":\"x\"}".getBytes(StandardCharsets.UTF_8);

  private final PublishAuthenticator auth =
      new PublishAuthenticator(List.of(KEY_A, KEY_B), Clock.fixed(NOW, ZoneOffset.UTC));

  private static String signed(byte[] key, long t, byte[] body) {
    return "t=" + t + ",v1=" + PublishAuthenticator.signatureOf(key, t, body);
  }

  @Test
  void bearerWithAnyConfiguredKey() {
    assertThat(auth.authenticate("Bearer " + "a".repeat(32), null, BODY)).isTrue();
    assertThat(auth.authenticate("bearer " + "b".repeat(40), null, BODY)).isTrue();
  }

  @Test
  void bearerWithWrongKeyPrefixOrSuffixFails() {
    assertThat(auth.authenticate("Bearer " + "a".repeat(31), null, BODY)).isFalse();
    assertThat(auth.authenticate("Bearer " + "a".repeat(33), null, BODY)).isFalse();
    assertThat(auth.authenticate("Token " + "a".repeat(32), null, BODY)).isFalse();
    assertThat(auth.authenticate("Bearer", null, BODY)).isFalse();
    assertThat(auth.authenticate(null, null, BODY)).isFalse();
  }

  @Test
  void signatureWithinToleranceIsAccepted() {
    long t = NOW.getEpochSecond();
    assertThat(auth.authenticate(null, signed(KEY_A, t, BODY), BODY)).isTrue();
    assertThat(auth.authenticate(null, signed(KEY_B, t - 300, BODY), BODY)).isTrue();
    assertThat(auth.authenticate(null, signed(KEY_B, t + 300, BODY), BODY)).isTrue();
  }

  @Test
  void signatureOutsideToleranceFails() {
    long t = NOW.getEpochSecond();
    assertThat(auth.authenticate(null, signed(KEY_A, t - 301, BODY), BODY)).isFalse();
    assertThat(auth.authenticate(null, signed(KEY_A, t + 301, BODY), BODY)).isFalse();
  }

  @Test
  void signatureOverOtherBodyOrWithOtherKeyFails() {
    long t = NOW.getEpochSecond();
    byte[] other = "{\"sessionId\":\"y\"}".getBytes(StandardCharsets.UTF_8);
    byte[] stranger = "c".repeat(32).getBytes(StandardCharsets.UTF_8);
    assertThat(auth.authenticate(null, signed(KEY_A, t, other), BODY)).isFalse();
    assertThat(auth.authenticate(null, signed(stranger, t, BODY), BODY)).isFalse();
  }

  @Test
  void rotatingPublisherMaySendTwoSignatures() {
    long t = NOW.getEpochSecond();
    byte[] stranger = "c".repeat(32).getBytes(StandardCharsets.UTF_8);
    String two =
        signed(stranger, t, BODY) + ",v1=" + PublishAuthenticator.signatureOf(KEY_B, t, BODY);
    assertThat(auth.authenticate(null, two, BODY)).isTrue();
  }

  @Test
  void malformedSignatureHeadersFail() {
    long t = NOW.getEpochSecond();
    String v1 = PublishAuthenticator.signatureOf(KEY_A, t, BODY);
    for (String header :
        List.of(
            "",
            "garbage",
            "t=" + t,
            "v1=" + v1,
            "t=" + t + ",v1=" + v1.substring(1),
            "t=" + t + ",v1=" + v1 + "00",
            "t=" + t + ",v1=" + v1.replace(v1.charAt(0), 'z'),
            "t=abc,v1=" + v1,
            "t=-5,v1=" + v1,
            "t=" + t + ",t=" + t + ",v1=" + v1,
            "t=" + t + ";v1=" + v1,
            "t=99999999999999999999,v1=" + v1,
            "x".repeat(5000))) {
      assertThat(auth.authenticate(null, header, BODY)).as(header).isFalse();
    }
  }

  @Test
  void spacesAndOrderInTheHeaderAreTolerated() {
    long t = NOW.getEpochSecond();
    String v1 = PublishAuthenticator.signatureOf(KEY_A, t, BODY);
    assertThat(auth.authenticate(null, "v1=" + v1 + ", t=" + t, BODY)).isTrue();
  }

  @Test
  void plausibleFromHeadersAloneNeverRefusesWhatAuthenticateAccepts() {
    long t = NOW.getEpochSecond();
    String good = signed(KEY_A, t, BODY);
    assertThat(auth.plausible("Bearer " + "a".repeat(32), null)).isTrue();
    assertThat(auth.plausible(null, good)).isTrue();
    assertThat(auth.plausible("Bearer wrong", good)).isTrue();
    assertThat(auth.authenticate("Bearer wrong", good, BODY)).isTrue();
    assertThat(
            auth.plausible(null, signed("c".repeat(32).getBytes(StandardCharsets.UTF_8), t, BODY)))
        .as("a current, well-formed signature can only be checked against the body")
        .isTrue();
  }

  @Test
  void implausibleHeadersAreRefusedBeforeTheBody() {
    long t = NOW.getEpochSecond();
    assertThat(auth.plausible(null, null)).isFalse();
    assertThat(auth.plausible("Bearer " + "a".repeat(31), null)).isFalse();
    assertThat(auth.plausible("Basic dXNlcjpwYXNz", null)).isFalse();
    assertThat(auth.plausible(null, "t=" + t + ",v1=zz")).isFalse();
    assertThat(auth.plausible(null, signed(KEY_A, t - 301, BODY))).isFalse();
    assertThat(auth.plausible("Bearer nope", signed(KEY_A, t + 301, BODY))).isFalse();
  }
}
