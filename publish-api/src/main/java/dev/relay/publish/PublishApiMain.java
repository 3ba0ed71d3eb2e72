package dev.relay.publish;

import dev.relay.service.ServiceMain;
import java.util.Map;

/**
 * Runs publish-api alone (production mode): port {@code PORT} (8080), {@code REDIS_URL} required.
 */
public final class PublishApiMain {

  public static final ServiceMain.Role ROLE =
      new ServiceMain.Role("publish-api", 8080, Map.of("relay.publish.enabled", "true"));

  private PublishApiMain() {}

  public static void main(String[] args) {
    ServiceMain.run(args, ROLE);
  }
}
