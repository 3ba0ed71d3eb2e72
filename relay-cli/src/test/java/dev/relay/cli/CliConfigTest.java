package dev.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which dev server's state the CLI uses, and the environment winning over it. */
class CliConfigTest {

  @TempDir Path dir;

  private final long alive = ProcessHandle.current().pid();

  private DevState state() {
    return new DevState(dir);
  }

  private void server(int port, long pid) throws IOException {
    Files.writeString(
        dir.resolve("dev-" + port + ".env"),
        "RELAY_URL=http://localhost:"
            + port
            + "\nRELAY_API_KEY=key-"
            + port
            + "\nRELAY_DEV_PID="
            + pid
            + "\n");
  }

  private CliConfig config(Map<String, String> env) {
    return new CliConfig(env::get, CliConfig.devState(env::get, state()));
  }

  @Test
  void theOnlyRunningServerIsChosenAndStaleOnesAreIgnored() throws IOException {
    server(8080, Long.MAX_VALUE);
    server(8081, alive);
    CliConfig config = config(Map.of());
    assertThat(config.publishUrl()).isEqualTo("http://localhost:8081");
    assertThat(config.get("RELAY_API_KEY")).hasValue("key-8081");
  }

  @Test
  void severalRunningServersAreRefusedUnlessAUrlChooses() throws IOException {
    server(8080, alive);
    server(8081, alive);
    assertThatThrownBy(() -> config(Map.of()))
        .isInstanceOf(CliError.class)
        .hasMessageContaining("ports 8080, 8081");
    CliConfig chosen = config(Map.of("RELAY_GATEWAY_URL", "http://127.0.0.1:8080/"));
    assertThat(chosen.get("RELAY_API_KEY")).hasValue("key-8080");
    assertThat(chosen.gatewayUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(chosen.publishUrl()).isEqualTo("http://localhost:8080");
  }

  @Test
  void theEnvironmentWinsAndARemoteUrlUsesNoDevState() throws IOException {
    server(8080, alive);
    CliConfig remote =
        config(Map.of("RELAY_URL", "https://relay.example.com", "RELAY_API_KEY", "prod"));
    assertThat(remote.hasDevState()).isFalse();
    assertThat(remote.get("RELAY_API_KEY")).hasValue("prod");
    assertThat(remote.gatewayUrl()).isEqualTo("https://relay.example.com");
    assertThatThrownBy(() -> remote.require("JWT_SIGNING_SECRET"))
        .isInstanceOf(CliError.class)
        .hasMessageContaining("export JWT_SIGNING_SECRET");
  }

  @Test
  void nothingRunningMeansTheDefaults() {
    CliConfig config = config(Map.of());
    assertThat(config.publishUrl()).isEqualTo("http://localhost:8080");
    assertThat(config.get("RELAY_API_KEY")).isEmpty();
  }

  @Test
  void writtenStateIsReadBackAndItsSecretsReusedOnTheSamePort() {
    DevState state = state();
    Map<String, String> first = state.secretsFor(9090);
    state.write(9090, first);
    assertThat(state.running()).containsExactly(9090);
    assertThat(state.secretsFor(9090)).isEqualTo(first);
    assertThat(state.secretsFor(9091)).isNotEqualTo(first);
    assertThat(state.forPort(9090).orElseThrow())
        .containsEntry("RELAY_DEV_PID", Long.toString(alive));
    assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
  }
}
