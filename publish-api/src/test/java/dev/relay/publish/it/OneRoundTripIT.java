package dev.relay.publish.it;

import static dev.relay.publish.it.HttpProbe.KEYS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.testkit.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue #17: a publish within its limits is one Redis round trip (the append, taking the room's
 * token; the client's tokens come from a local lease), and publish-api talks to Redis through one
 * command connection. Counted on a redis-server of its own ({@code INFO commandstats}, {@code
 * CLIENT LIST}), so no other test's commands are counted.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OneRoundTripIT implements TestPropertyProvider {

  private static final int PUBLISHES = 100;

  private final RedisProcess redis = RedisProcess.start();

  @Inject EmbeddedServer server;

  @Override
  public Map<String, String> getProperties() {
    return Map.of("redis.url", redis.url(), "relay.api.key", KEYS);
  }

  @AfterAll
  void stopRedis() {
    redis.close();
  }

  @Test
  void aPublishIsOneScriptCallAndTheProcessHasOneCommandConnection() {
    HttpProbe http = new HttpProbe(server.getURI());
    String room = "team:" + UUID.randomUUID();
    RedisClient client = RedisClient.create(redis.url());
    try (StatefulRedisConnection<String, String> admin = client.connect()) {
      long before = scriptCalls(admin);

      for (int i = 0; i < PUBLISHES; i++) {
        String body = "{\"room\":\"" + room + "\",\"event\":\"session.ended\",\"payload\":{}}";
        assertThat(http.publish("/v1/events", body).status()).isEqualTo(202);
      }
      long calls = scriptCalls(admin) - before;

      // 100 appends, one lease of 50 IP tokens per 200 ms at most 50 publishes, and the first
      // EVALSHA of each script answered NOSCRIPT then sent as EVAL; three scripts per publish, as
      // before, would be 300 (the lease count depends on the machine's speed, not the bound)
      // (measured on 2 shared cores: 111, nine leases over about 1.8 s)
      assertThat(calls).isBetween((long) PUBLISHES, PUBLISHES * 3L / 2);
      long ownId = admin.sync().clientId();
      long commandConnections =
          admin
              .sync()
              .clientList()
              .lines()
              .filter(line -> !line.startsWith("id=" + ownId + " "))
              .filter(line -> !line.matches(".* flags=\\S*P\\S* .*"))
              .count();
      assertThat(commandConnections).as(admin.sync().clientList()).isEqualTo(1);
    } finally {
      client.shutdown();
    }
  }

  /** Every EVALSHA and EVAL the server ran, NOSCRIPT answers included. */
  private static long scriptCalls(StatefulRedisConnection<String, String> admin) {
    long calls = 0;
    for (String line : admin.sync().info("commandstats").lines().toList()) {
      if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
        int start = line.indexOf("calls=") + "calls=".length();
        calls += Long.parseLong(line.substring(start, line.indexOf(',', start)));
      }
    }
    return calls;
  }
}
