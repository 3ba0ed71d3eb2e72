package dev.relay.gateway.kit;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Room scenarios of SPEC §4–§7 and §10, each run against both protocols: subscribe and its
 * refusals, unsubscribe, client publish with its scope and limits, presence, subscription churn.
 */
@MicronautTest
class RoomScenariosIT extends KitFixture {

  static final Map<String, String> TASK = Map.of("taskId", "T-1", "teamId", "42");

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void subscribesToAllowedRoomsOnly(Protocol protocol) {
    String team = "team:" + unique("t");
    try (ProtocolClient client =
        connect(protocol, token("acct-1", null, List.of("team:*"), List.of()))) {
      Answer joined = client.subscribe(team);
      assertThat(joined.ok()).isTrue();
      assertThat(joined.body().path("room").asText()).isEqualTo(team);
      String id = publishVote(team);
      assertThat(client.expectEvent().get("id").asText()).isEqualTo(id);

      assertThat(client.subscribe("task:" + unique("k")).code()).isEqualTo("forbidden");
      assertThat(client.subscribe("NOT A ROOM").code()).isEqualTo("invalid_message");
      assertThat(client.subscribe("team:" + "x".repeat(200)).code()).isEqualTo("invalid_message");
    }
  }

  /** SPEC §5: {@code recovered} is always present, false when nothing was asked to recover. */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aSubscribeWithoutSinceSaysRecoveredFalse(Protocol protocol) {
    try (ProtocolClient client =
        connect(protocol, token("acct-1", null, List.of("team:*"), List.of()))) {
      Answer joined = client.subscribe("team:" + unique("t"));
      assertThat(joined.ok()).isTrue();
      assertThat(joined.recovered()).isFalse();
    }
  }

  /**
   * A subscribe with {@code since} replays what came after it, in order, and on a room already
   * joined repeats nothing already delivered; an id the server never issued is not recovered.
   */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void subscribeWithSinceReplaysTheGapOnce(Protocol protocol) {
    String team = "team:" + unique("r");
    String first = publishVote(team);
    String second = publishVote(team);
    String third = publishVote(team);
    try (ProtocolClient client =
        connect(protocol, token("acct-1", null, List.of("team:*"), List.of()))) {
      assertThat(client.subscribe(team, null, first).recovered()).isTrue();
      assertThat(List.of(client.expectEvent(), client.expectEvent()))
          .extracting(e -> e.get("id").asText())
          .containsExactly(second, third);
      String live = publishVote(team);
      assertThat(client.expectEvent().get("id").asText()).isEqualTo(live);

      assertThat(client.subscribe(team, null, first).recovered()).isTrue();
      client.expectNoEvent(Duration.ofMillis(300));
    }
    try (ProtocolClient client =
        connect(protocol, token("acct-1", null, List.of("team:*"), List.of()))) {
      assertThat(client.subscribe(team, null, "garbage").recovered()).isFalse();
      client.expectNoEvent(Duration.ofMillis(300));
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aSubscriptionTokenAdmitsItsRoomForTheSameSubOnly(Protocol protocol) {
    String task = "task:" + unique("k");
    try (ProtocolClient client = connect(protocol, token("acct-1", null, List.of(), List.of()))) {
      String othersToken = gw.signer.subscriptionToken("acct-2", task, Duration.ofSeconds(60));
      assertThat(client.subscribe(task, othersToken, null).code()).isEqualTo("forbidden");
      String mine = gw.signer.subscriptionToken("acct-1", task, Duration.ofSeconds(60));
      Answer joined = client.subscribe(task, mine, null);
      assertThat(joined.ok()).isTrue();
      String id = gw.publish(task, "task.updated", "{\"taskId\":\"T-1\",\"teamId\":\"42\"}");
      assertThat(client.expectEvent().get("id").asText()).isEqualTo(id);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aConnectionHoldsAtMostTheRoomLimit(Protocol protocol) {
    try (ProtocolClient client =
        connect(protocol, token("acct-1", unique("s"), List.of("team:*"), List.of()))) {
      for (int i = 1; i < MAX_ROOMS; i++) {
        assertThat(client.subscribe("team:" + unique("r")).ok()).isTrue();
      }
      assertThat(client.subscribe("team:" + unique("r")).code()).isEqualTo("limit_exceeded");
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void unsubscribeStopsTheRoomsEventsAndOnlyOnce(Protocol protocol) {
    String team = "team:" + unique("t");
    try (ProtocolClient client =
        connect(protocol, token("acct-1", null, List.of("team:*"), List.of()))) {
      assertThat(client.subscribe(team).ok()).isTrue();
      Answer left = client.unsubscribe(team);
      assertThat(left.ok()).isTrue();
      assertThat(left.body().path("room").asText()).isEqualTo(team);
      publishVote(team);
      client.expectNoEvent(Duration.ofMillis(300));
      assertThat(client.unsubscribe(team).code()).isEqualTo("not_subscribed");
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void publishNeedsTheScopeAndReachesTheRoomWithItsActor(Protocol protocol) {
    String room = "team:" + unique("c");
    try (ProtocolClient writer =
            connect(protocol, token("user-a", null, List.of(room), List.of("publish")));
        ProtocolClient reader =
            connect(protocol, token("user-b", null, List.of(room), List.of()))) {
      Answer ack = writer.publish(room, "task.created", TASK);
      assertThat(ack.ok()).isTrue();
      String id = ack.body().path("id").asText();
      JsonNode received = reader.expectEvent();
      assertThat(received.get("id").asText()).isEqualTo(id);
      assertThat(received.get("actor").asText()).isEqualTo("user-a");
      assertThat(received.get("payload").get("taskId").asText()).isEqualTo("T-1");
      assertThat(writer.expectEvent().get("id").asText())
          .as("the writer's own event")
          .isEqualTo(id);

      assertThat(reader.publish(room, "task.created", TASK).code()).isEqualTo("forbidden");
      assertThat(writer.publish("team:" + unique("x"), "task.created", TASK).code())
          .as("a room not joined")
          .isEqualTo("forbidden");
      assertThat(writer.publish(room, "task.created", Map.of("taskId", "no team")).code())
          .as("schema of a known type")
          .isEqualTo("invalid_message");
      reader.expectNoEvent(Duration.ofMillis(200));
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aClientPayloadOverTheLimitIsRefused(Protocol protocol) {
    String room = "team:" + unique("c");
    try (ProtocolClient writer =
        connect(protocol, token("user-a", null, List.of(room), List.of("publish")))) {
      Map<String, String> big = Map.of("taskId", "T-1", "teamId", "42", "pad", "x".repeat(17_000));
      assertThat(writer.publish(room, "task.created", big).code()).isEqualTo("payload_too_large");
      assertThat(writer.publish(room, "task.created", TASK).ok()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void clientEventsAreRateLimitedPerType(Protocol protocol) {
    String room = "conversation:" + unique("c");
    try (ProtocolClient writer =
        connect(protocol, token("user-a", null, List.of(room), List.of("publish")))) {
      List<String> codes = new ArrayList<>();
      for (int i = 0; i < 11; i++) {
        Map<String, String> message =
            Map.of("messageId", "m" + i, "conversationId", "7", "content", "hi");
        Answer answer = writer.publish(room, "message.created", message);
        codes.add(answer.ok() ? "ok" : answer.code());
      }
      // message.* allows 10 a minute per connection (SPEC §4).
      assertThat(codes.subList(0, 10)).containsOnly("ok");
      assertThat(codes.get(10)).isEqualTo("rate_limited");
      assertThat(writer.publish(room, "task.created", TASK).ok()).as("other types").isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void presenceListsTheMembersForThePresenceScopeOnly(Protocol protocol) {
    String room = "team:" + unique("p");
    try (ProtocolClient watcher =
            connect(protocol, token("acct-w", null, List.of(room), List.of("presence")));
        ProtocolClient member =
            connect(protocol, token("acct-m", null, List.of(room), List.of()))) {
      Answer members = watcher.presence(room);
      assertThat(members.ok()).isTrue();
      List<String> subs = new ArrayList<>();
      members.body().path("members").forEach(m -> subs.add(m.path("sub").asText()));
      assertThat(subs).containsExactlyInAnyOrder("acct-w", "acct-m");
      assertThat(members.body().path("members").get(0).path("joinedAt").asText()).isNotBlank();

      assertThat(member.presence(room).code()).isEqualTo("forbidden");
      assertThat(watcher.presence("team:" + unique("x")).code()).isEqualTo("not_subscribed");
    }
  }

  /** SPEC §10 "Subscription churn": 20/s, burst 40, per connection. */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void subscribeAndUnsubscribeChurnIsRateLimited(Protocol protocol) {
    String team = "team:" + unique("t");
    try (ProtocolClient client =
        connect(protocol, token("acct-1", null, List.of("team:*"), List.of()))) {
      List<String> codes = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        for (Answer a : List.of(client.subscribe(team), client.unsubscribe(team))) {
          codes.add(a.ok() ? "ok" : a.code());
        }
      }
      assertThat(codes.subList(0, 40)).as("the burst").containsOnly("ok");
      assertThat(codes).contains("rate_limited");
    }
  }
}
