package dev.relay.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.testkit.TestRedis;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The deployment package itself, {@code target/publish-lambda.jar}, serves a publish in a fresh JVM
 * with nothing else on the class path, exactly as the Lambda runtime loads it. Catches what the
 * in-process tests cannot: a runtime dependency missing from the shaded jar.
 */
class PackagedLambdaIT {

  private static final String KEY = "packaged-lambda-key-0123456789abcdefghijk";

  @Test
  void shadedJarColdStartAnswers202() throws Exception {
    Path jar = Path.of("target/publish-lambda.jar");
    assertThat(jar).as("built by the package phase").exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(List.of(java, "-cp", jar.toString(), LocalInvoke.class.getName()))
            .redirectErrorStream(true);
    builder.environment().put("REDIS_URL", TestRedis.url());
    builder.environment().put("RELAY_API_KEY", KEY);
    builder.environment().put("RELAY_LOG_LEVEL", "WARN");
    Process process = builder.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    process.getInputStream().transferTo(out);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = out.toString(StandardCharsets.UTF_8);

    assertThat(output).contains("status=202");
    assertThat(process.exitValue()).as(output).isZero();
    Files.writeString(Path.of("target/packaged-lambda-cold-start.txt"), output);
  }
}
