package dev.relay.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.engine.UnsupportedServerException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real Redis 6.2 (the binary the embedded-redis test dependency ships) is refused at start-up
 * with the one line that says why. Started and stopped by this test, by its own process handle.
 */
class RedisSixRefusalIT {

  private Process redis;
  private Path dir;

  @AfterEach
  void stop() throws Exception {
    if (redis != null) {
      redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void checkServerRefusesRedis6WithTheVersionFound() throws Exception {
    int port = freePort();
    dir = Files.createTempDirectory("relay-redis6");
    Path binary = dir.resolve("redis-server-6.2");
    try (InputStream in = getClass().getResourceAsStream("/redis-server-6.2.6-v5-linux-amd64")) {
      assertThat(in).as("embedded-redis ships a Redis 6.2 binary").isNotNull();
      Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
    }
    assertThat(binary.toFile().setExecutable(true)).isTrue();
    redis =
        new ProcessBuilder(
                binary.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    await().atMost(Duration.ofSeconds(10)).until(() -> accepts(port));

    try (RedisEventLog log =
        new RedisEventLog("redis://127.0.0.1:" + port, RedisEngineSettings.defaults())) {
      ExecutionException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () -> log.checkServer().toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertThat(refused.getCause())
          .isInstanceOf(UnsupportedServerException.class)
          .hasMessageMatching(
              "Relay needs Redis 7\\.0 or later for sharded Pub/Sub; this server is 6\\.2\\.\\d+");
    }
  }

  private boolean accepts(int port) {
    if (!redis.isAlive()) {
      throw new IllegalStateException("redis-server 6.2 exited; see " + dir.resolve("redis.log"));
    }
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return socket.getInputStream().read() == '+';
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
