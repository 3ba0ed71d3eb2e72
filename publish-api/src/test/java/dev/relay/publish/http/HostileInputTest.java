package dev.relay.publish.http;

import static dev.relay.publish.it.HttpProbe.KEYS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.publish.it.HttpProbe;
import dev.relay.publish.it.HttpProbe.Answer;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and hostile bodies against both publish endpoints (memory engine): every answer is a
 * 4xx problem, never a 5xx, and the service answers normally afterwards.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest implements TestPropertyProvider {

  private static final String VALID =
      "{\"sessionId\":\"abc-123\",\"event\":\"vote.cast\",\"payload\":{\"issueKey\":\"SCRUM-1\","
          + "\"value\":\"5\",\"participantId\":\"acct-1\"},\"nonce\":\"n1\","
          + "\"timestamp\":\"2024-05-01T10:00:00Z\"}";

  @Inject EmbeddedServer server;

  @Override
  public Map<String, String> getProperties() {
    return Map.of("relay.engine", "memory", "relay.api.key", KEYS);
  }

  static Stream<Named<byte[]>> hostileBodies() {
    List<Named<byte[]>> bodies = new ArrayList<>();
    for (String text :
        List.of(
            "",
            "null",
            "true",
            "0",
            "\"just a string\"",
            "[]",
            "[" + VALID + "]",
            "{",
            "}",
            "{\"sessionId\"",
            "{\"sessionId\":",
            "{\"sessionId\":\"abc",
            "{'sessionId':'abc','event':'vote.cast'}",
            "{sessionId:\"abc\"}",
            "{\"sessionId\":\"abc\",}",
            VALID + "{}",
            VALID + " garbage",
            "/* c */" + VALID,
            "<event sessionId=\"abc\"/>",
            "sessionId=abc&event=vote.cast",
            "{\"sessionId\":NaN,\"event\":\"vote.cast\"}",
            "{\"sessionId\":\"abc\",\"event\":\"vote.cast\",\"payload\":{\"n\":Infinity}}",
            "{\"sessionId\":123,\"event\":\"vote.cast\"}",
            "{\"sessionId\":1e309,\"event\":\"vote.cast\"}",
            "{\"sessionId\":-0,\"event\":\"vote.cast\"}",
            "{\"sessionId\":true,\"event\":\"vote.cast\"}",
            "{\"sessionId\":[\"abc\"],\"event\":\"vote.cast\"}",
            "{\"sessionId\":{\"id\":\"abc\"},\"event\":\"vote.cast\"}",
            "{\"room\":42,\"event\":\"vote.cast\"}",
            "{\"sessionId\":\"abc\",\"event\":7}",
            "{\"sessionId\":\"abc\",\"event\":null}",
            "{\"sessionId\":\"abc\",\"event\":\"vote.cast\",\"payload\":\"{}\"}",
            "{\"sessionId\":\"abc\",\"event\":\"vote.cast\",\"payload\":[1,2]}",
            "{\"sessionId\":\"abc\",\"event\":\"vote.cast\",\"payload\":12}",
            "{\"sessionId\":\"abc\",\"event\":\"session.ended\",\"nonce\":{}}",
            "{\"sessionId\":\"abc\",\"event\":\"session.ended\",\"timestamp\":[]}",
            "{\"sessionId\":\"abc\",\"sessionId\":\"def\",\"event\":\"session.ended\"}",
            "{\"sessionId\":\"abc\",\"event\":\"session.ended\",\"payload\":{\"a\":1,\"a\":2}}",
            "{\"sessionId\":\"a\\u0000b\",\"event\":\"session.ended\"}",
            "{\"sessionId\":\"abc\",\"event\":\"session.ended\",\"nonce\":\"n\\u0000\"}",
            "{\"sessionId\":\"\\ud800\",\"event\":\"session.ended\"}",
            "{\"sessionId\":\"abc\",\"event\":\"session.ended\",\"payload\":{\"t\":\"\\ud800x\"}}",
            "{\"sessionId\":\"abc\",\"event\":\"session.ended\",\"payload\":{\"t\":\"\\udc00\"}}",
            "{\"sessionId\":\"abc\",\"event\":\"session.ended\",\"nonce\":\"\\udbff\"}",
            "{\"sessionId\":\"\u00e9t\u00e9\",\"event\":\"session.ended\"}",
            "{\"sessionId\":\"abc\",\"event\":\"vot\u0435.cast\"}",
            "{\"room\":\"team:\u202eabc\",\"event\":\"session.ended\"}",
            "{\"sessionId\":\"\",\"event\":\"session.ended\"}",
            "{\"sessionId\":\"abc\",\"event\":\"\"}",
            "{\"sessionId\":\"abc\",\"event\":\"session.ended\",\"timestamp\":\"2024-13-45T99:00:00Z\"}",
            "{\"sessionId\":\"abc\",\"event\":\"session.ended\",\"payload\":{\"n\":"
                + "9".repeat(5000)
                + "}}",
            "{\"sessionId\":\"" + "a".repeat(129) + "\",\"event\":\"session.ended\"}",
            "{\"sessionId\":\"" + "a".repeat(60_000) + "\",\"event\":\"session.ended\"}",
            "{\"sessionId\":\"abc\",\"event\":\"" + "a".repeat(65) + "\"}",
            "{\"sessionId\":\"abc\",\"event\":\"session.ended\",\"payload\":{\"s\":\""
                + "x".repeat(70_000)
                + "\"}}",
            "[".repeat(10_000),
            "[".repeat(10_000) + "]".repeat(10_000),
            "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000),
            "{\"sessionId\":\"abc\",\"event\":\"session.ended\",\"payload\":"
                + "{\"a\":".repeat(10_000)
                + "1"
                + "}".repeat(10_000)
                + "}",
            "{\"sessionId\":\"abc\",\"event\":\"session.ended\",\"payload\":{\"d\":"
                + "[".repeat(100)
                + "]".repeat(100)
                + "}}")) {
      bodies.add(named(text, text.getBytes(StandardCharsets.UTF_8)));
    }
    bodies.add(named("raw NUL byte", "{\"sessionId\":\"a\0\",\"event\":\"x.y\"}".getBytes(UTF8)));
    bodies.add(named("invalid UTF-8 0xFF", concat("{\"sessionId\":\"", new byte[] {(byte) 0xff})));
    bodies.add(
        named(
            "overlong UTF-8",
            concat(
                "{\"sessionId\":\"abc\",\"event\":\"session.ended\",\"payload\":{\"s\":\"",
                new byte[] {(byte) 0xc0, (byte) 0xaf, '"', '}', '}'})));
    bodies.add(named("UTF-8 BOM then array", concat("\uFEFF[]", new byte[0])));
    bodies.add(named("UTF-16 body", "{\"sessionId\":\"abc\"}".getBytes(StandardCharsets.UTF_16)));
    bodies.add(named("control chars in string", "{\"sessionId\":\"a\tb\n\"}".getBytes(UTF8)));
    return bodies.stream();
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static Named<byte[]> named(String text, byte[] body) {
    String name = text.length() > 80 ? text.substring(0, 80) + "… (" + text.length() + ")" : text;
    name = name.isBlank() ? "(empty body)" : name;
    return Named.of(name, body);
  }

  private static byte[] concat(String head, byte[] tail) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(UTF8));
    out.writeBytes(tail);
    return out.toByteArray();
  }

  @ParameterizedTest
  @MethodSource("hostileBodies")
  void singlePublishAnswers4xxProblem(byte[] body) {
    assertRejected(probe().post("/v1/events", body, headers()));
  }

  @ParameterizedTest
  @MethodSource("hostileBodies")
  void batchAnswers4xxProblemOrPerEventErrors(byte[] body) {
    assertRejected(probe().post("/v1/events:batch", body, headers()));
    ByteArrayOutputStream wrapped = new ByteArrayOutputStream();
    wrapped.writeBytes("{\"events\":[".getBytes(UTF8));
    wrapped.writeBytes(body);
    wrapped.writeBytes("]}".getBytes(UTF8));
    Answer answer = probe().post("/v1/events:batch", wrapped.toByteArray(), headers());
    assertThat(answer.status()).as(answer.toString()).isLessThan(500);
    if (answer.status() == 200) {
      answer
          .json()
          .get("results")
          .forEach(r -> assertThat(r.get("status").asInt()).isBetween(400, 499));
    } else {
      assertRejected(answer);
    }
  }

  @AfterAll
  void serviceStillAnswers() {
    Answer answer = probe().post("/v1/events", VALID.getBytes(UTF8), headers());
    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    assertThat(probe().get("/healthz").status()).isEqualTo(200);
  }

  private HttpProbe probe() {
    return new HttpProbe(server.getURI());
  }

  private static String[] headers() {
    return new String[] {
      "Content-Type", "application/json", "Authorization", "Bearer " + HttpProbe.KEY_A
    };
  }

  private static void assertRejected(Answer answer) {
    assertThat(answer.status()).as(answer.toString()).isBetween(400, 499);
    assertThat(answer.contentType()).as(answer.toString()).startsWith("application/problem+json");
    assertThat(answer.json().get("code").asText()).isNotBlank();
  }
}
