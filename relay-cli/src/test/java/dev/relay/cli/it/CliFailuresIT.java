package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every failure of every command is one line on stderr and a non-zero exit, never a stack trace
 * (SPEC §1): exit 2 for bad input, 1 for failures outside the command. Runs the real launcher jar.
 */
class CliFailuresIT {

  private static final String SECRET = Services.SECRET;
  private Path state;
  private String nobodyListens;

  @BeforeEach
  void setUp() throws IOException {
    state = Files.createTempDirectory("relay-cli-state");
    nobodyListens = "http://127.0.0.1:" + Services.freePort();
  }

  private RelayRun relay() {
    return new RelayRun(state);
  }

  private static void assertOneLine(RelayRun.Result result, int exit, String... expected) {
    assertThat(result.exit()).as("exit code; stderr: %s", result.err()).isEqualTo(exit);
    assertThat(result.errLines()).as("stderr").hasSize(1);
    assertThat(result.errLines().get(0)).contains(expected);
    assertThat(result.err() + result.out()).doesNotContain("\tat ").doesNotContain("Exception:");
  }

  @Test
  void bareRelayPrintsUsageAndExits2() {
    RelayRun.Result result = relay().run();
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("Usage: relay").endsWith("relay: no command given\n");
  }

  @Test
  void versionPrintsVersionAndCommit() {
    RelayRun.Result result = relay().with("RELAY_COMMIT", "abc1234").run("--version");
    assertThat(result.exit()).isZero();
    assertThat(result.out().strip()).matches("relay \\d+\\.\\d+\\.\\d+\\S* \\(commit abc1234\\)");
  }

  @Test
  void unknownFlagIsOneLineExit2() {
    assertOneLine(
        relay().run("publish", "--session", "demo", "--event", "x", "--bogus"),
        2,
        "relay publish: Unknown option: '--bogus'");
  }

  @Test
  void publishWithNoServerIsOneLineExit1() {
    assertOneLine(
        relay()
            .with("RELAY_URL", nobodyListens)
            .with("RELAY_API_KEY", "key")
            .run("publish", "--session", "demo", "--event", "vote.cast"),
        1,
        "cannot reach publish-api at " + nobodyListens,
        "connection refused");
  }

  @Test
  void verboseAddsTheTraceAfterTheLine() {
    RelayRun.Result result =
        relay()
            .with("RELAY_URL", nobodyListens)
            .with("RELAY_API_KEY", "key")
            .run("publish", "--session", "demo", "--event", "vote.cast", "--verbose");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.errLines().get(0)).contains("cannot reach publish-api");
    assertThat(result.err()).contains("\tat ").contains("ConnectException");
  }

  @Test
  void badPayloadJsonIsOneLineExit2() {
    assertOneLine(
        relay()
            .with("RELAY_API_KEY", "key")
            .run("publish", "--session", "demo", "--event", "x", "--payload", "{bad"),
        2,
        "--payload is not valid JSON");
    assertOneLine(
        relay()
            .with("RELAY_API_KEY", "key")
            .run("publish", "--session", "demo", "--event", "x", "--payload", "[1]"),
        2,
        "--payload must be a JSON object");
  }

  @Test
  void targetMustBeExactlyOneOfSessionAndRoom() {
    assertOneLine(relay().run("publish", "--event", "x"), 2, "give --session S or --room R");
    assertOneLine(
        relay().run("publish", "--session", "demo", "--room", "team:1", "--event", "x"),
        2,
        "give --session or --room, not both");
    assertOneLine(
        relay().run("tail", "--room", "bad room"), 2, "--room 'bad room' is not a valid room");
  }

  @Test
  void missingSecretsSayHowToProvideThem() {
    assertOneLine(
        relay().run("publish", "--session", "demo", "--event", "x"),
        2,
        "RELAY_API_KEY is not set and no ./relay dev is running");
    assertOneLine(
        relay().run("tail", "--session", "demo"),
        2,
        "JWT_SIGNING_SECRET is not set and no ./relay dev is running");
  }

  @Test
  void tailWithNoServerIsOneLineExit1() {
    assertOneLine(
        relay()
            .with("RELAY_URL", nobodyListens)
            .with("JWT_SIGNING_SECRET", SECRET)
            .run("tail", "--session", "demo"),
        1,
        "cannot reach the gateway at " + nobodyListens);
  }

  @Test
  void devOnABusyPortIsOneLineAndWritesNoState() throws IOException {
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(0));
      int port = busy.getLocalPort();
      RelayRun.Result result = relay().with("PORT", Integer.toString(port)).run("dev");
      assertOneLine(result, 1, "port " + port + " is already in use");
    }
    assertThat(state).isEmptyDirectory();
  }

  @Test
  void devWithABadPortIsOneLineAndWritesNoState() {
    assertOneLine(relay().with("PORT", "abc").run("dev"), 1, "PORT must be a number");
    assertThat(state).isEmptyDirectory();
  }

  @Test
  void tokenRefusesWhatTheGatewayWouldRefuse() {
    RelayRun signer = relay().with("JWT_SIGNING_SECRET", SECRET);
    assertOneLine(
        signer.run("token", "--sub", "u", "--ttl", "999999"),
        2,
        "--ttl 999999 is refused by the gateway",
        "1 to 300 s");
    assertOneLine(
        signer.run("token", "--sub", "u", "--rooms", "bad room"),
        2,
        "--rooms 'bad room' is not a valid room");
    assertOneLine(
        signer.run("token", "--sub", "u", "--rooms", "team:4 2"), 2, "room id must match");
    assertOneLine(
        signer.run("token", "--sub", "u", "--scope", "admin"),
        2,
        "--scope 'admin' is not a scope the gateway knows");
    assertOneLine(
        signer.run("token", "--sub", "u", "--session", "a b"), 2, "--session 'session:a b'");
    assertOneLine(signer.run("token", "--ttl", "60"), 2, "--sub is required");
    assertOneLine(
        signer.with("RELAY_TOKEN_MAX_LIFETIME", "soon").run("token", "--sub", "u"),
        2,
        "RELAY_TOKEN_MAX_LIFETIME must be a duration");
    assertOneLine(
        signer.with("RELAY_TOKEN_MAX_LIFETIME", "1h").run("token", "--sub", "u", "--ttl", "3601"),
        2,
        "1 to 3600 s");
  }

  /** {@code --info} (SPEC §11): a JSON object of at most 1 KiB, carried as the info claim. */
  @Test
  void tokenInfoIsASmallJsonObject() {
    RelayRun signer = relay().with("JWT_SIGNING_SECRET", SECRET);
    RelayRun.Result minted = signer.run("token", "--sub", "u1", "--info", "{\"name\":\"Ada\"}");
    assertThat(minted.exit()).as(minted.err()).isZero();
    RelayRun.Result checked = signer.run("token", "--check", minted.out().strip());
    assertThat(checked.out())
        .contains("\"info\":{\"name\":\"Ada\"}")
        .contains("verdict: accepted by the gateway");

    assertOneLine(
        signer.run("token", "--sub", "u", "--info", "\"Ada\""), 2, "--info must be a JSON object");
    assertOneLine(
        signer.run("token", "--sub", "u", "--info", "{name"), 2, "--info must be a JSON object");
    assertOneLine(
        signer.run("token", "--sub", "u", "--info", "{\"n\":\"" + "x".repeat(1100) + "\"}"),
        2,
        "--info must be at most 1024 bytes");
    assertOneLine(
        signer.run("token", "--sub", "u", "--room", "team:1", "--info", "{}"),
        2,
        "--room mints a subscription token");
  }

  @Test
  void tokenCheckSaysWhetherTheGatewayAcceptsAndWhyNot() {
    RelayRun signer = relay().with("JWT_SIGNING_SECRET", SECRET);
    RelayRun.Result minted = signer.run("token", "--room", "team:42", "--sub", "u1");
    assertThat(minted.exit()).as(minted.err()).isZero();
    String token = minted.out().strip();

    RelayRun.Result accepted = signer.run("token", "--check", token);
    assertThat(accepted.exit()).isZero();
    assertThat(accepted.out())
        .contains("subscription token for room team:42")
        .contains("\"sub\":\"u1\"")
        .contains("verdict: accepted by the gateway");

    RelayRun.Result refused =
        relay()
            .with("JWT_SIGNING_SECRET", "another-secret-another-secret-another-1")
            .run("token", "--check", token);
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.out()).contains("verdict: REFUSED").contains("bad signature");

    assertOneLine(signer.run("token", "--check", "not-a-jwt"), 2, "not a signed JWT");
  }

  @Test
  void severalRunningDevServersAreNeverGuessedBetween() throws IOException {
    long alive = ProcessHandle.current().pid();
    long gone = Long.MAX_VALUE;
    for (int port : new int[] {1111, 2222, 3333}) {
      Files.writeString(
          state.resolve("dev-" + port + ".env"),
          "RELAY_URL=http://localhost:"
              + port
              + "\nRELAY_API_KEY=key-"
              + port
              + "\nJWT_SIGNING_SECRET="
              + SECRET
              + "\nRELAY_DEV_PID="
              + (port == 3333 ? gone : alive)
              + "\n");
    }
    assertOneLine(
        relay().run("publish", "--session", "demo", "--event", "x"),
        2,
        "several ./relay dev servers are running (ports 1111, 2222)",
        "set RELAY_URL");
    assertOneLine(
        relay()
            .with("RELAY_URL", "http://localhost:2222")
            .run("publish", "--session", "demo", "--event", "x"),
        1,
        "cannot reach publish-api at http://localhost:2222");
    RelayRun.Result chosen = relay().with("RELAY_URL", "http://localhost:2222").run("env");
    assertThat(chosen.out()).contains("export RELAY_API_KEY='key-2222'");
  }
}
