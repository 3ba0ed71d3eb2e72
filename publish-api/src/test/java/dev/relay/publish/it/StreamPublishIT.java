package dev.relay.publish.it;

import static dev.relay.publish.it.HttpProbe.KEYS;
import static dev.relay.publish.it.HttpProbe.KEY_A;
import static dev.relay.publish.it.StreamUpload.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.engine.EventLog;
import dev.relay.publish.it.RawHttp.Answer;
import dev.relay.testkit.TestRedis;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /v1/events:stream} (SPEC §12) against a real Redis, over raw sockets so each chunk's
 * timing is the test's: lines are delivered as they arrive, rejected one by one, and the stream is
 * bounded by its idle and total deadlines but not by {@code RELAY_REQUEST_TIMEOUT} (1 s here).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamPublishIT implements TestPropertyProvider {

  @Inject EmbeddedServer server;
  @Inject EventLog eventLog;

  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "redis.url", TestRedis.url(),
        "relay.api.key", KEYS,
        "relay.request.timeout", "1s",
        "relay.stream.idle.timeout", "1500ms",
        "relay.stream.max.duration", "4s");
  }

  static String delta(String conversation, int seq, String text) {
    return "{\"room\":\"conversation:"
        + conversation
        + "\",\"event\":\"message.delta\",\"payload\":{\"messageId\":\"m1\",\"conversationId\":\""
        + conversation
        + "\",\"seq\":"
        + seq
        + ",\"delta\":\""
        + text
        + "\"}}";
  }

  private static String conversation() {
    return "c-" + UUID.randomUUID();
  }

  @Test
  void eachLineIsDeliveredBeforeTheBodyEnds() {
    String c = conversation();
    try (RoomWatch watch = new RoomWatch(eventLog, "conversation:" + c);
        StreamUpload upload = StreamUpload.open(server.getURI())) {
      upload.line(delta(c, 1, "Hel"));
      await("first line delivered while the body is open")
          .atMost(Duration.ofSeconds(5))
          .until(() -> watch.count() == 1);
      upload.line(delta(c, 2, "lo"));
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.count() == 2);

      Answer answer = upload.line(delta(c, 3, "!")).end().read();

      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      assertThat(json(answer).get("accepted").asInt()).isEqualTo(3);
      assertThat(json(answer).get("rejected")).isEmpty();
      assertThat(json(answer).has("code")).isFalse();
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.count() == 3);
      assertThat(watch.envelopes().get(0)).contains("\"Hel\"");
      assertThat(watch.envelopes().get(1)).contains("\"lo\"");
      assertThat(watch.envelopes().get(2)).contains("\"!\"");
    }
  }

  @Test
  void badLinesAreRejectedOneByOneAndTheRestAppendedInOrder() {
    String c = conversation();
    try (RoomWatch watch = new RoomWatch(eventLog, "conversation:" + c);
        StreamUpload upload = StreamUpload.open(server.getURI())) {
      upload
          .line(delta(c, 1, "a"))
          .line("this is not json")
          .line(delta("other-room", 2, "b"))
          .line("{\"room\":\"conversation:" + c + "\",\"event\":\"Bad Name\",\"payload\":{}}")
          .chunk("\r\n   \n") // blank lines: skipped, but counted
          .line( // over the line limit
              "{\"room\":\"conversation:"
                  + c
                  + "\",\"event\":\"note.added\",\"payload\":{\"text\":\""
                  + "x".repeat(80 * 1024)
                  + "\"}}")
          .chunk(delta(c, 2, "b").substring(0, 40)) // one line in two chunks
          .chunk(delta(c, 2, "b").substring(40) + "\r\n")
          .chunk("[1,2]\n")
          .line(delta(c, 9, "z")) // refused by the engine: a gap in the message
          .chunk(delta(c, 3, "c")); // the last line has no newline
      Answer answer = upload.end().read();

      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      JsonNode body = json(answer);
      assertThat(body.get("accepted").asInt()).isEqualTo(3);
      List<String> rejected = new ArrayList<>();
      body.get("rejected")
          .forEach(r -> rejected.add(r.get("line").asInt() + ":" + r.get("code").asText()));
      assertThat(rejected)
          .containsExactly(
              "2:invalid_request",
              "3:invalid_request",
              "4:invalid_request",
              "7:payload_too_large",
              "9:invalid_request",
              "10:out_of_sequence");
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.count() == 3);
      assertThat(String.join("", watch.envelopes()))
          .containsSubsequence("\"delta\":\"a\"", "\"delta\":\"b\"", "\"delta\":\"c\"");
    }
  }

  @Test
  void credentialsAndContentTypeAreCheckedBeforeTheBody() {
    try (StreamUpload none =
        StreamUpload.open(server.getURI(), "Content-Type: application/x-ndjson")) {
      Answer answer = none.read();
      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.body()).contains("\"code\":\"unauthorized\"");
    }
    String signature =
        HttpProbe.signature(KEY_A, Instant.now(), "{}".getBytes(StandardCharsets.UTF_8));
    try (StreamUpload signed =
        StreamUpload.open(
            server.getURI(),
            "Content-Type: application/x-ndjson",
            "X-Relay-Signature: " + signature)) {
      assertThat(signed.read().status()).as("a stream cannot be signed").isEqualTo(401);
    }
    try (StreamUpload json =
        StreamUpload.open(
            server.getURI(), "Authorization: Bearer " + KEY_A, "Content-Type: application/json")) {
      Answer answer = json.read();
      assertThat(answer.status()).isEqualTo(415);
      assertThat(answer.body()).contains("\"code\":\"unsupported_media_type\"");
      await().atMost(Duration.ofSeconds(5)).until(json::closedByPeer);
    }
  }

  @Test
  void aHealthyStreamOutlivesTheRequestTimeoutAndAnIdleOneIsEnded() throws Exception {
    String c = conversation();
    try (StreamUpload upload = StreamUpload.open(server.getURI())) {
      for (int i = 1; i <= 8; i++) { // 2.4 s, over RELAY_REQUEST_TIMEOUT (1 s)
        upload.line(delta(c, i, "t" + i));
        Thread.sleep(300); // the client's pace is what this test is about
      }
      // then silence: ended after the idle timeout (1.5 s) with a code
      Answer answer = upload.read();
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      assertThat(json(answer).get("accepted").asInt()).isEqualTo(8);
      assertThat(json(answer).get("code").asText()).isEqualTo("idle_timeout");
    }
  }

  @Test
  void aDripWithoutNewlinesIsIdleAndANeverEndingLineIsCappedAndRejected() throws Exception {
    String c = conversation();
    try (StreamUpload upload = StreamUpload.open(server.getURI())) {
      upload.line(delta(c, 1, "ok"));
      byte[] piece = "x".repeat(16 * 1024).getBytes(StandardCharsets.UTF_8);
      long start = System.nanoTime();
      // a line that never ends: read and discarded past the limit, until the idle deadline
      // (stops before the server closes the connection 1 s after its answer at 1.5 s)
      while (System.nanoTime() - start < Duration.ofSeconds(2).toNanos() && upload.trySend(piece)) {
        Thread.sleep(50); // a steady drip, 320 KiB/s: far past the line limit, never a newline
      }
      Answer answer = upload.read();
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      JsonNode body = json(answer);
      assertThat(body.get("accepted").asInt()).isEqualTo(1);
      assertThat(body.get("rejected").get(0).get("line").asInt()).isEqualTo(2);
      assertThat(body.get("rejected").get(0).get("code").asText()).isEqualTo("payload_too_large");
      assertThat(body.get("code").asText()).isEqualTo("idle_timeout");
    }
  }

  @Test
  void aStreamLongerThanItsMaximumIsEnded() throws Exception {
    String c = conversation();
    try (StreamUpload upload = StreamUpload.open(server.getURI())) {
      int sent = 0;
      long start = System.nanoTime();
      // until after the 4 s maximum, but before the server closes 1 s after its answer
      while (System.nanoTime() - start < Duration.ofMillis(4600).toNanos()
          && upload.trySend((delta(c, ++sent, "d") + "\n").getBytes(StandardCharsets.UTF_8))) {
        Thread.sleep(200); // the client's pace is what this test is about
      }
      Answer answer = upload.read();
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      JsonNode body = json(answer);
      assertThat(body.get("code").asText()).isEqualTo("stream_timeout");
      assertThat(body.get("accepted").asInt()).isBetween(10, 25);
    }
  }

  @Test
  void aBodyPastSixteenMebibytesIsCutOff() {
    String c = conversation();
    byte[] garbage = ("\"" + "g".repeat(60 * 1024) + "\"\n").getBytes(StandardCharsets.UTF_8);
    try (StreamUpload upload = StreamUpload.open(server.getURI())) {
      upload.line(delta(c, 1, "a"));
      long sent = 0;
      while (sent <= 16L * 1024 * 1024 + 2 * garbage.length && upload.trySend(garbage)) {
        sent += garbage.length;
      }
      Answer answer = upload.read();
      assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
      assertThat(answer.body()).contains("\"code\":\"payload_too_large\"");
    }
  }

  @Test
  void manyConcurrentStreamsFromOneAddressEachEndWithTheirSummary() {
    int streams = 40;
    List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
    List<StreamUpload> uploads = new ArrayList<>();
    String c = conversation();
    try {
      for (int s = 0; s < streams; s++) {
        uploads.add(StreamUpload.open(server.getURI()));
      }
      for (int i = 1; i <= 5; i++) {
        for (int s = 0; s < streams; s++) {
          uploads.get(s).line(delta(c + "-" + s, i, "p" + i));
        }
      }
      for (StreamUpload upload : uploads) {
        StreamUpload u = upload.end();
        answers.add(CompletableFuture.supplyAsync(() -> json(u.read())));
      }
      for (CompletableFuture<JsonNode> answer : answers) {
        assertThat(answer.join().get("accepted").asInt()).isEqualTo(5);
      }
    } finally {
      uploads.forEach(StreamUpload::close);
    }
  }
}
