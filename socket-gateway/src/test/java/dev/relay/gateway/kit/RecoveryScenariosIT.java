package dev.relay.gateway.kit;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.gateway.it.GatewayFixture;
import dev.relay.gateway.server.GatewayDrain;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Recovery scenarios of SPEC §7, §8 and §10, each run against both protocols: a dropped client
 * resumes with exactly what it missed, an unknown or another user's resume point is refused, a
 * client that stops reading is closed (and may recover), a draining gateway closes clients so they
 * recover.
 */
@MicronautTest
class RecoveryScenariosIT extends KitFixture {

  private static final Pattern SLOW_CONSUMERS =
      Pattern.compile("(?m)^relay_errors_total\\{[^}]*type=\"slow_consumer\"[^}]*} (\\S+)$");

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Inject GatewayDrain drain;

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aDroppedClientResumesWithEveryMissedEventOnceAndInOrder(Protocol protocol) {
    String session = unique("s");
    String team = "team:" + unique("t");
    String token = token("acct-1", session, List.of("team:*"), List.of());
    ProtocolClient client = connect(protocol, token);
    assertThat(client.subscribe(team).ok()).isTrue();
    // One event in each room before the drop: each room then has a resume point.
    String first = publishVote(team);
    assertThat(client.expectEvent().get("id").asText()).isEqualTo(first);
    String second = publishVote("session:" + session);
    assertThat(client.expectEvent().get("id").asText()).isEqualTo(second);
    client.drop();

    Map<String, List<String>> missed = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      String room = i % 2 == 0 ? "session:" + session : team;
      missed.computeIfAbsent(room, r -> new ArrayList<>()).add(publishVote(room));
    }
    ProtocolClient.Resumed resumed = client.resume(token);
    try (ProtocolClient again = resumed.client()) {
      assertThat(resumed.recovered()).isTrue();
      Map<String, List<String>> got = new HashMap<>();
      for (int i = 0; i < 6; i++) {
        JsonNode e = again.expectEvent();
        got.computeIfAbsent(e.get("room").asText(), r -> new ArrayList<>())
            .add(e.get("id").asText());
      }
      assertThat(got).isEqualTo(missed);
      again.expectNoEvent(Duration.ofMillis(300));
      String live = publishVote(team);
      assertThat(again.expectEvent().get("id").asText()).isEqualTo(live);
    }
  }

  /**
   * SPEC §7 "recovery works on any gateway instance": a client dropped on this gateway resumes on a
   * second one (same Redis), which follows its rooms from scratch: every missed event of every room
   * once and in order, then live ones. Needs the Redis engine (two gateways share nothing else).
   */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aDroppedClientRecoversOnAnotherGateway(Protocol protocol) {
    String session = unique("s");
    String team = "team:" + unique("t");
    String token = token("acct-1", session, List.of("team:*"), List.of());
    ProtocolClient client = connect(protocol, token);
    assertThat(client.subscribe(team).ok()).isTrue();
    String first = publishVote(team);
    assertThat(client.expectEvent().get("id").asText()).isEqualTo(first);
    String second = publishVote("session:" + session);
    assertThat(client.expectEvent().get("id").asText()).isEqualTo(second);
    client.drop();

    Map<String, List<String>> missed = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      String room = i % 2 == 0 ? "session:" + session : team;
      missed.computeIfAbsent(room, r -> new ArrayList<>()).add(publishVote(room));
    }
    Map<String, Object> properties = new HashMap<>(getProperties());
    properties.put("micronaut.server.port", "-1");
    try (EmbeddedServer other = ApplicationContext.run(EmbeddedServer.class, properties)) {
      GatewayFixture elsewhere = new GatewayFixture(other.getURI(), log);
      ProtocolClient.Resumed resumed = client.resume(token, elsewhere);
      try (ProtocolClient again = resumed.client()) {
        assertThat(resumed.recovered()).isTrue();
        Map<String, List<String>> got = new HashMap<>();
        for (int i = 0; i < 6; i++) {
          JsonNode e = again.expectEvent();
          got.computeIfAbsent(e.get("room").asText(), r -> new ArrayList<>())
              .add(e.get("id").asText());
        }
        assertThat(got).isEqualTo(missed);
        again.expectNoEvent(Duration.ofMillis(300));
        String live = publishVote("session:" + session);
        assertThat(again.expectEvent().get("id").asText()).isEqualTo(live);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void anUnknownResumePointIsNotRecoveredAndReplaysNothing(Protocol protocol) {
    String session = unique("s");
    String token = token("acct-1", session, List.of(), List.of());
    ProtocolClient client = connect(protocol, token);
    publishVote("session:" + session);
    client.expectEvent();
    client.drop();
    publishVote("session:" + session);
    client.forgeResumePoint();
    ProtocolClient.Resumed resumed = client.resume(token);
    try (ProtocolClient again = resumed.client()) {
      assertThat(resumed.recovered()).isFalse();
      again.expectNoEvent(Duration.ofMillis(300));
    }
  }

  /**
   * Another user's resume point (JSON: its rooms and last ids; Socket.IO: its pid and offset)
   * restores none of that user's rooms: not recovered, and their events never arrive.
   */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void anotherUsersResumePointRecoversNoneOfTheirRooms(Protocol protocol) {
    String task = "task:" + unique("k");
    ProtocolClient owner = connect(protocol, token("acct-a", unique("s"), List.of(), List.of()));
    String grant = gw.signer.subscriptionToken("acct-a", task, Duration.ofSeconds(60));
    assertThat(owner.subscribe(task, grant, null).ok()).isTrue();
    publishVote(task);
    owner.expectEvent();
    owner.drop();

    String intruderToken = token("acct-b", unique("s"), List.of(), List.of());
    try (ProtocolClient intruder = connect(protocol, intruderToken)) {
      intruder.adoptResumePoint(owner);
      intruder.drop();
      publishVote(task);
      ProtocolClient.Resumed resumed = intruder.resume(intruderToken);
      try (ProtocolClient again = resumed.client()) {
        assertThat(resumed.recovered()).isFalse();
        publishVote(task);
        again.expectNoEvent(Duration.ofMillis(300));
      }
    }
  }

  /**
   * SPEC §10 "Outbound budget": a client that stops reading is closed once its queued bytes pass
   * the budget (JSON 1013; Socket.IO: transport closed without DISCONNECT), counted as a slow
   * consumer, and it recovers what it missed.
   */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aClientThatStopsReadingIsClosedAndRecovers(Protocol protocol) throws Exception {
    String session = unique("s");
    String token = token("acct-1", session, List.of(), List.of());
    double before = slowConsumers();
    ProtocolClient client = connect(protocol, token);
    String first = publishVote("session:" + session);
    assertThat(client.expectEvent().get("id").asText()).isEqualTo(first);
    client.stopReading();
    String pad = "x".repeat(48 * 1024);
    String payload = "{\"issueKey\":\"S-1\",\"participantId\":\"p\",\"pad\":\"" + pad + "\"}";
    int published = 0;
    // Bounded: 400 × 48 KiB = 19 MiB, far over the 1 MiB budget plus both socket buffers.
    while (published < 400 && slowConsumers() == before) {
      for (int i = 0; i < 10; i++, published++) {
        gw.publish("session:" + session, "vote.cast", payload);
      }
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(slowConsumers()).isGreaterThan(before));
    client.resumeReading();
    Ending end = client.awaitEnd();
    assertThat(end.events()).isLessThan(published);
    if (protocol == Protocol.JSON) {
      assertThat(end.closeCode()).isEqualTo(1013);
    } else {
      assertThat(end.disconnectPacket()).as("no DISCONNECT: the client recovers").isFalse();
    }
    ProtocolClient.Resumed resumed = client.resume(token);
    try (ProtocolClient again = resumed.client()) {
      assertThat(resumed.recovered()).isTrue();
    }
    assertThat(slowConsumers()).as("counted once").isEqualTo(before + 1);
  }

  /** SPEC §8 drain: connections closed as going away (JSON 1001) and recoverable elsewhere. */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aDrainingGatewayClosesClientsWhichThenRecover(Protocol protocol) {
    String session = unique("s");
    String token = token("acct-1", session, List.of(), List.of());
    ProtocolClient client = connect(protocol, token);
    String first = publishVote("session:" + session);
    assertThat(client.expectEvent().get("id").asText()).isEqualTo(first);

    drain.drain(Duration.ofSeconds(2));
    Ending end = client.awaitEnd();
    if (protocol == Protocol.JSON) {
      assertThat(end.closeCode()).isEqualTo(1001);
    } else {
      assertThat(end.disconnectPacket()).as("no DISCONNECT: the client recovers").isFalse();
    }
    String missed = publishVote("session:" + session);
    ProtocolClient.Resumed resumed = client.resume(token);
    try (ProtocolClient again = resumed.client()) {
      assertThat(resumed.recovered()).isTrue();
      assertThat(again.expectEvent().get("id").asText()).isEqualTo(missed);
      again.expectNoEvent(Duration.ofMillis(300));
    }
  }

  private double slowConsumers() throws Exception {
    HttpResponse<String> metrics =
        HTTP.send(
            HttpRequest.newBuilder(server.getURI().resolve("/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = SLOW_CONSUMERS.matcher(metrics.body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
