package dev.relay.publish.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.publish.PublishApiMain;
import dev.relay.service.ServiceMain;
import dev.relay.testkit.TestRedis;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A missing or weak secret, or a missing REDIS_URL, stops start-up with exactly one line on stderr
 * naming the variable, never the secret, and exit code 1.
 */
class StartupRefusalIT {

  private static final String KEY_RULE =
      ": set it to one or more comma-separated keys of at least 32 characters";

  /** Starts publish-api in this JVM with the given properties; answers what went to stderr. */
  private static String refusal(Map<String, Object> properties) {
    Map<String, Object> all = new HashMap<>(PublishApiMain.ROLE.properties());
    all.putAll(properties);
    ServiceMain.Role role = new ServiceMain.Role("publish-api", 0, all);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Optional<ApplicationContext> context =
        ServiceMain.start(
            new String[0], role, name -> null, new PrintStream(err, true, StandardCharsets.UTF_8));
    context.ifPresent(ApplicationContext::close);
    assertThat(context).as("start-up must be refused").isEmpty();
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void missingApiKeyIsOneLine() {
    String err = refusal(Map.of("redis.url", TestRedis.url(), "relay.api.key", ""));
    assertThat(err).isEqualTo("RELAY_API_KEY is required" + KEY_RULE + System.lineSeparator());
  }

  @Test
  void shortApiKeyIsOneLineWithoutTheKey() {
    String err = refusal(Map.of("redis.url", TestRedis.url(), "relay.api.key", "short-secret"));
    assertThat(err)
        .isEqualTo("RELAY_API_KEY key #1 is too short" + KEY_RULE + System.lineSeparator());
    assertThat(err).doesNotContain("short-secret");
  }

  @Test
  void missingRedisUrlIsOneLine() {
    String err = refusal(Map.of("redis.url", "", "relay.api.key", "k".repeat(32)));
    assertThat(err).startsWith("REDIS_URL is required: ").doesNotContain("\n" + "\tat ");
    assertThat(err.lines()).hasSize(1);
  }

  @Test
  void realProcessPrintsOneLineAndExitsWith1() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                PublishApiMain.class.getName()));
    builder.environment().remove("RELAY_API_KEY");
    builder.environment().put("REDIS_URL", TestRedis.url());
    builder.environment().put("PORT", "0");
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    byte[] stderr = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(new String(stderr, StandardCharsets.UTF_8))
        .isEqualTo("RELAY_API_KEY is required" + KEY_RULE + System.lineSeparator());
  }
}
