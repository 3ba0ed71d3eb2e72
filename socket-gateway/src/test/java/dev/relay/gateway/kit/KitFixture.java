package dev.relay.gateway.kit;

import dev.relay.engine.EventLog;
import dev.relay.gateway.it.GatewayFixture;
import dev.relay.testkit.TestRedis;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway every scenario class runs against: a real embedded gateway on a real Redis ({@link
 * TestRedis}), with limits low enough to reach in a test ({@value #MAX_ROOMS} rooms per connection)
 * and connection-attempt limits out of the way. Subclasses are {@code @MicronautTest} classes whose
 * tests take a {@link Protocol} parameter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KitFixture implements TestPropertyProvider {

  static final int MAX_ROOMS = 5;
  static final String VOTE = "{\"issueKey\":\"SCRUM-1\",\"value\":\"5\",\"participantId\":\"a-1\"}";

  @Inject EmbeddedServer server;
  @Inject EventLog log;

  GatewayFixture gw;

  @Override
  public Map<String, String> getProperties() {
    return GatewayFixture.properties(
        // Far beyond every wait of the kit, so that no close is mistaken for the auth deadline.
        "relay.auth.timeout", "60s", "relay.max.rooms.per.connection", Integer.toString(MAX_ROOMS));
  }

  @BeforeEach
  void fixture() {
    gw = new GatewayFixture(server.getURI(), log);
  }

  String token(String sub, String session, List<String> rooms, List<String> scopes) {
    return gw.token(sub, session, rooms, scopes);
  }

  String shortToken(String sub, String session, List<String> rooms, Duration ttl) {
    return gw.signer.connectionToken(sub, session, rooms, List.of(), ttl);
  }

  ProtocolClient connect(Protocol protocol, String token) {
    return protocol.connect(gw, token);
  }

  /** Publishes a {@code vote.cast} as publish-api would and returns its id. */
  String publishVote(String room) {
    return gw.publish(room, "vote.cast", VOTE);
  }
}
