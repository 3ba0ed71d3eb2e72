package dev.relay.gateway.server;

import dev.relay.service.ServiceMain;
import java.util.Map;

/** {@code ./relay gateway}: the WebSocket gateway alone (production mode, Redis required). */
public final class GatewayMain {

  public static final ServiceMain.Role ROLE =
      new ServiceMain.Role("socket-gateway", 8081, Map.of("relay.publish.enabled", "false"));

  private GatewayMain() {}

  public static void main(String[] args) {
    ServiceMain.run(args, ROLE);
  }
}
