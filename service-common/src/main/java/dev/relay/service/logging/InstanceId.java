package dev.relay.service.logging;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * This process's instance id: {@code RELAY_INSTANCE_ID} when set, otherwise {@code <host>-<8 hex>},
 * fixed for the life of the JVM. Logs ({@link RelayLogConfigurator}) and {@code /info} read the
 * same value.
 */
public final class InstanceId {

  private static final String VALUE = compute();

  private InstanceId() {}

  public static String current() {
    return VALUE;
  }

  private static String compute() {
    String fromEnv = System.getenv("RELAY_INSTANCE_ID");
    if (fromEnv != null && fromEnv.matches("[A-Za-z0-9._-]{1,64}")) {
      return fromEnv;
    }
    String host = System.getenv().getOrDefault("HOSTNAME", "relay");
    host = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "");
    if (host.isEmpty() || host.length() > 40) {
      host = "relay";
    }
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    return host + "-" + HexFormat.of().formatHex(random);
  }
}
