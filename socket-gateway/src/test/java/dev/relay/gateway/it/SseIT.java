package dev.relay.gateway.it;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.engine.EventLog;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The SSE fallback at {@code /realtime/sse} (SPEC §14): the token's rooms plus the asked ones,
 * {@code id:} resume points, {@code Last-Event-ID} resume with no gap and no duplicate or {@code
 * event: recovered-false}, heartbeats, and the same refusals as a WebSocket connection.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SseIT implements TestPropertyProvider {

  private static final String REVEAL = "{\"issueKey\":\"X-1\"}";

  @Inject EmbeddedServer server;
  @Inject EventLog log;
  private GatewayFixture gw;
  private final HttpClient http = HttpClient.newHttpClient();

  @Override
  public Map<String, String> getProperties() {
    return GatewayFixture.properties("relay.sse.heartbeat", "300ms");
  }

  @BeforeEach
  void fixture() {
    gw = new GatewayFixture(server.getURI(), log);
  }

  @Test
  void streamsTheTokensAndTheAskedRoomsWithResumePointsAndHeartbeats() throws Exception {
    String session = unique("s");
    String team = "team:" + unique("t");
    String token = gw.token("acct-1", session, List.of("team:*"), List.of());
    try (Stream stream = open("?token=" + token + "&rooms=" + team, null)) {
      assertThat(stream.response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
      assertThat(stream.nextComment()).isEqualTo(": heartbeat");
      String a = gw.publish("session:" + session, "votes.revealed", REVEAL);
      String b = gw.publish(team, "task.created", "{\"taskId\":\"T-1\",\"teamId\":\"1\"}");
      SseEvent first = stream.nextEvent();
      SseEvent second = stream.nextEvent();
      assertThat(first.data()).contains("\"id\":\"" + a + "\"");
      assertThat(second.data()).contains("\"id\":\"" + b + "\"");
      assertThat(first.id()).isNotBlank();
      assertThat(second.id()).isNotEqualTo(first.id());
    }
  }

  @Test
  void lastEventIdResumesEveryRoomWithNoGapAndNoDuplicate() throws Exception {
    String session = unique("s");
    String team = "team:" + unique("t");
    String token = gw.token("acct-1", session, List.of("team:*"), List.of());
    String resumeFrom;
    try (Stream stream = open("?token=" + token + "&rooms=" + team, null)) {
      // After one event of each room, the resume point knows both rooms' streams: a point taken
      // before the gateway saw any event of a room's stream cannot prove that room complete.
      gw.publish("session:" + session, "votes.revealed", REVEAL);
      gw.publish(team, "task.created", "{\"taskId\":\"T-0\",\"teamId\":\"1\"}");
      stream.nextEvent();
      resumeFrom = stream.nextEvent().id();
    }
    List<String> missedSession = new ArrayList<>();
    List<String> missedTeam = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      missedSession.add(gw.publish("session:" + session, "votes.revealed", REVEAL));
      missedTeam.add(
          gw.publish(team, "task.created", "{\"taskId\":\"T-" + i + "\",\"teamId\":\"1\"}"));
    }
    try (Stream stream = open("?token=" + token + "&rooms=" + team, resumeFrom)) {
      // Order is a per-room guarantee (SPEC §7); two rooms' events may interleave.
      List<String> gotSession = new ArrayList<>();
      List<String> gotTeam = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String data = stream.nextEvent().data();
        (data.contains("\"room\":\"" + team + "\"") ? gotTeam : gotSession).add(idOf(data));
      }
      assertThat(gotSession).containsExactlyElementsOf(missedSession);
      assertThat(gotTeam).containsExactlyElementsOf(missedTeam);
      String live = gw.publish(team, "task.created", "{\"taskId\":\"T-9\",\"teamId\":\"1\"}");
      assertThat(stream.nextEvent().data()).contains("\"id\":\"" + live + "\"");
    }
    // The same through the query parameter, as a new EventSource would send it.
    String token2 = gw.token("acct-1", session, List.of("team:*"), List.of());
    try (Stream stream =
        open("?token=" + token2 + "&rooms=" + team + "&lastEventId=" + resumeFrom, null)) {
      String first = idOf(stream.nextEvent().data());
      assertThat(first).isIn(missedSession.get(0), missedTeam.get(0));
    }
  }

  /** SPEC §12 on SSE: a resume mid-stream gets one snapshot, not the missed deltas. */
  @Test
  void lastEventIdMidStreamResumesWithOneSnapshotThenTheLaterDeltas() throws Exception {
    String session = unique("s");
    String room = "conversation:" + unique("c");
    String token = gw.token("acct-1", session, List.of("conversation:*"), List.of());
    String delta = "{\"messageId\":\"m1\",\"conversationId\":\"c1\",\"seq\":%d,\"delta\":\"w%d \"}";
    String resumeFrom;
    try (Stream stream = open("?token=" + token + "&rooms=" + room, null)) {
      gw.publish("session:" + session, "votes.revealed", REVEAL);
      gw.publish(room, "message.delta", String.format(delta, 1, 1));
      stream.nextEvent();
      resumeFrom = stream.nextEvent().id();
    }
    for (int seq = 2; seq <= 5; seq++) {
      gw.publish(room, "message.delta", String.format(delta, seq, seq));
    }
    try (Stream stream = open("?token=" + token + "&rooms=" + room, resumeFrom)) {
      String snapshot = stream.nextEvent().data();
      assertThat(snapshot)
          .contains("\"type\":\"message.snapshot\"")
          .contains("\"seq\":5")
          .contains("\"content\":\"w1 w2 w3 w4 w5 \"");
      String next = gw.publish(room, "message.delta", String.format(delta, 6, 6));
      assertThat(stream.nextEvent().data()).contains("\"id\":\"" + next + "\"");
    }
  }

  @Test
  void anUnknownLastEventIdStartsWithRecoveredFalse() throws Exception {
    String session = unique("s");
    String token = gw.token("acct-1", session, List.of(), List.of());
    try (Stream stream = open("?token=" + token, "not-a-resume-point")) {
      SseEvent first = stream.nextEvent();
      assertThat(first.name()).isEqualTo("recovered-false");
      String live = gw.publish("session:" + session, "votes.revealed", REVEAL);
      assertThat(stream.nextEvent().data()).contains("\"id\":\"" + live + "\"");
    }
  }

  @Test
  void refusesWhatAWebSocketConnectionWouldBeRefused() throws Exception {
    String token = gw.token("acct-1", unique("s"), List.of(), List.of());
    assertThat(plain("?token=not.a.token", Map.of()).statusCode()).isEqualTo(401);
    HttpResponse<String> forbidden = plain("?token=" + token + "&rooms=team:1", Map.of());
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.body()).contains("\"code\":\"forbidden\"");
    assertThat(plain("?token=" + token + "&rooms=bad%20room", Map.of()).statusCode())
        .isEqualTo(400);
    // The token's session room and 100 asked rooms pass the room limit (100): refused, never cut.
    String kinds = gw.token("acct-1", unique("s"), List.of("team:*"), List.of());
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      many.append(i == 0 ? "" : ",").append("team:").append(i);
    }
    assertThat(plain("?token=" + kinds + "&rooms=" + many, Map.of()).statusCode()).isEqualTo(400);
    assertThat(plain("?token=" + token, Map.of("Origin", "https://evil.example")).statusCode())
        .isEqualTo(403);
  }

  private static String idOf(String envelope) {
    int start = envelope.indexOf("\"id\":\"") + 6;
    return envelope.substring(start, envelope.indexOf('"', start));
  }

  private HttpResponse<String> plain(String query, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(query)).timeout(Duration.ofSeconds(10));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String query) {
    return URI.create(gw.url("http", "/realtime/sse" + query));
  }

  private Stream open(String query, String lastEventId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(query)).header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<java.util.stream.Stream<String>> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    return new Stream(response);
  }

  record SseEvent(String name, String id, String data) {}

  /** The lines of one open stream, read on a thread of its own. */
  private static final class Stream implements AutoCloseable {
    final HttpResponse<java.util.stream.Stream<String>> response;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    Stream(HttpResponse<java.util.stream.Stream<String>> response) {
      this.response = response;
      this.reader =
          new Thread(
              () -> {
                try {
                  response.body().forEach(lines::add);
                } catch (RuntimeException closed) {
                  // the test closed the stream
                }
              });
      reader.setDaemon(true);
      reader.start();
    }

    String nextLine() throws InterruptedException {
      String line = lines.poll(10, TimeUnit.SECONDS);
      assertThat(line).as("a line within 10 s").isNotNull();
      return line;
    }

    String nextComment() throws InterruptedException {
      String line;
      do {
        line = nextLine();
      } while (!line.startsWith(":"));
      return line;
    }

    /** The next event, skipping heartbeat comments. */
    SseEvent nextEvent() throws InterruptedException {
      String name = null;
      String id = null;
      String data = null;
      while (true) {
        String line = nextLine();
        if (line.isEmpty()) {
          if (data != null) {
            return new SseEvent(name, id, data);
          }
        } else if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
    }

    @Override
    public void close() {
      response.body().close();
      reader.interrupt();
    }
  }
}
