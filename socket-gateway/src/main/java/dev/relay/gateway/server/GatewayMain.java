package dev.relay.gateway.server;

import dev.relay.service.ServiceMain;
import java.util.HashMap;
import java.util.Map;

/** {@code ./relay gateway}: the WebSocket gateway alone (production mode, Redis required). */
public final class GatewayMain {

  public static final ServiceMain.Role ROLE =
      new ServiceMain.Role("socket-gateway", 8081, properties());

  private GatewayMain() {}

  private static Map<String, Object> properties() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("relay.publish.enabled", "false");
    // One server event loop per two cores (at least one), not Netty's one per core: the loops
    // share the machine with Lettuce's I/O thread, the feed, GC and JIT, and a loop holding more
    // connections writes more of them per wake-up; on 2 cores this cut the CPU per delivered event
    // by about a sixth with the same fan-out latency. publish-api keeps one loop per core: with one
    // its p99 at 2,000 req/s was worse (docs/perf-tests/README.md, #17). num-threads (e.g. the
    // variable MICRONAUT_NETTY_EVENT_LOOPS_DEFAULT_NUM_THREADS) wins over this ratio.
    properties.put("micronaut.netty.event-loops.default.thread-core-ratio", 0.5);
    return Map.copyOf(properties);
  }

  public static void main(String[] args) {
    ServiceMain.run(args, ROLE);
  }
}
