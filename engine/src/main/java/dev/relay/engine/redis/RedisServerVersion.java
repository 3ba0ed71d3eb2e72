package dev.relay.engine.redis;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The start-up check of a server's version: the engine relies on sharded Pub/Sub ({@code
 * SSUBSCRIBE}/{@code SPUBLISH}), which Redis has since 7.0.
 */
final class RedisServerVersion {

  static final int REQUIRED_MAJOR = 7;
  private static final Pattern VERSION =
      Pattern.compile("(?m)^redis_version:(\\d+)\\.(\\d+)(?:\\.(\\d+))?\\s*$");

  private RedisServerVersion() {}

  /**
   * Why {@code infoServer} (an {@code INFO server} reply) names a server Relay cannot use, or empty
   * if it can. A reply without a version is refused too: it is not a Redis Relay knows.
   */
  static Optional<String> refusal(String infoServer) {
    Matcher m = VERSION.matcher(infoServer == null ? "" : infoServer);
    if (!m.find()) {
      return Optional.of(
          "Relay needs Redis 7.0 or later for sharded Pub/Sub; this server does not report"
              + " redis_version");
    }
    if (Integer.parseInt(m.group(1)) >= REQUIRED_MAJOR) {
      return Optional.empty();
    }
    String version = m.group(1) + "." + m.group(2) + (m.group(3) == null ? "" : "." + m.group(3));
    return Optional.of(
        "Relay needs Redis 7.0 or later for sharded Pub/Sub; this server is " + version);
  }
}
