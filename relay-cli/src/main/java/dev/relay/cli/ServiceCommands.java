package dev.relay.cli;

import dev.relay.gateway.server.GatewayMain;
import dev.relay.publish.PublishApiMain;
import dev.relay.service.ServiceMain;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code ./relay publish-api} and {@code ./relay gateway}: one service, production mode. */
final class ServiceCommands {

  private ServiceCommands() {}

  /**
   * Starts a service named by {@code args} without building the whole command line model first:
   * picocli would load every subcommand (the benchmark, the token minter, the CLI's JSON) before
   * the service starts, about a third of a second of a start-up that SPEC §9 bounds at 1.5 s.
   * Anything else (options, {@code --help}) goes through picocli as usual.
   *
   * @return whether a service was started
   */
  static boolean runDirectly(String[] args) {
    if (args.length != 1) {
      return false;
    }
    switch (args[0]) {
      case "publish-api":
        new PublishApi().run();
        return true;
      case "gateway":
        new Gateway().run();
        return true;
      default:
        return false;
    }
  }

  @Command(
      name = "publish-api",
      mixinStandardHelpOptions = true,
      description = {
        "Runs the publish API alone (production mode).",
        "Needs REDIS_URL and RELAY_API_KEY; listens on PORT (default 8080)."
      })
  static final class PublishApi implements Runnable {
    @Override
    public void run() {
      ServiceMain.run(new String[0], only(PublishApiMain.ROLE, "relay.gateway.enabled"));
    }
  }

  @Command(
      name = "gateway",
      mixinStandardHelpOptions = true,
      description = {
        "Runs the WebSocket gateway alone (production mode).",
        "Needs REDIS_URL and JWT_SIGNING_SECRET; listens on PORT (default 8081)."
      })
  static final class Gateway implements Runnable {
    @Override
    public void run() {
      ServiceMain.run(new String[0], only(GatewayMain.ROLE, "relay.publish.enabled"));
    }
  }

  /** The role with the other service switched off: the launcher's jar contains both. */
  private static ServiceMain.Role only(ServiceMain.Role role, String otherServiceSwitch) {
    Map<String, Object> properties = new HashMap<>(role.properties());
    properties.put(otherServiceSwitch, "false");
    return new ServiceMain.Role(role.name(), role.defaultPort(), properties);
  }
}
