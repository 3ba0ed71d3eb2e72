package dev.relay.bench.it;

import dev.relay.gateway.server.GatewayMain;
import dev.relay.publish.PublishApiMain;
import dev.relay.service.ServiceMain;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts publish-api and gateway instances as separate Micronaut contexts in the test JVM, each
 * exactly as {@code ./relay publish-api} / {@code ./relay gateway} would, on random ports.
 */
final class Services {

  static final String API_KEY = "it-api-key-it-api-key-it-api-key-0001";
  static final String SECRET = "it-jwt-secret-it-jwt-secret-it-jwt-0001";

  private Services() {}

  static ApplicationContext publishApi(String redisUrl) {
    return start(PublishApiMain.ROLE, redisUrl, "relay.gateway.enabled");
  }

  static ApplicationContext gateway(String redisUrl) {
    return start(GatewayMain.ROLE, redisUrl, "relay.publish.enabled");
  }

  static URI uri(ApplicationContext context) {
    return context.getBean(EmbeddedServer.class).getURI();
  }

  private static ApplicationContext start(ServiceMain.Role role, String redisUrl, String off) {
    Map<String, Object> properties = new HashMap<>(role.properties());
    properties.put(off, "false");
    properties.put("redis.url", redisUrl);
    properties.put("relay.api.key", API_KEY);
    properties.put("relay.connect.limit.per.ip", "100000/min");
    properties.put("relay.publish.limit.per.ip", "100000/s");
    properties.put("relay.publish.limit.per.room", "100000/s");
    properties.put("jwt.signing.secret", SECRET);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    return ServiceMain.start(
            new String[0],
            new ServiceMain.Role(role.name(), role.defaultPort(), properties),
            name -> name.equals("PORT") ? "0" : null,
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .orElseThrow(() -> new IllegalStateException(role.name() + " did not start: " + err));
  }
}
