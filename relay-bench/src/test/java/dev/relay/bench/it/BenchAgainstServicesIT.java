package dev.relay.bench.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.bench.BenchConfig;
import dev.relay.bench.BenchRun;
import dev.relay.bench.client.Protocol;
import dev.relay.bench.report.BenchResult;
import dev.relay.bench.stream.StreamLoad;
import dev.relay.testkit.TestRedis;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bench in-process for a few seconds against a real publish-api and gateway on Redis, both
 * protocols: every accepted event reaches every connection of its room exactly once; and the
 * streaming load (SPEC §12), whose subscribers, those that reconnect half-way included, all end
 * with the exact text, after a warm-up pass of its own.
 */
class BenchAgainstServicesIT {

  private static ApplicationContext publishApi;
  private static ApplicationContext gateway;

  @BeforeAll
  static void start() {
    publishApi = Services.publishApi(TestRedis.url());
    gateway = Services.gateway(TestRedis.url());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    publishApi.close();
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void deliversEveryAcceptedEventOnceToEveryConnection(Protocol protocol) throws Exception {
    long pid = ProcessHandle.current().pid();
    BenchConfig config =
        new BenchConfig(
            "it/" + protocol,
            base(publishApi),
            base(gateway),
            protocol,
            50,
            5,
            50,
            2,
            1,
            64,
            Services.API_KEY,
            Services.SECRET,
            pid,
            pid,
            false,
            2,
            50,
            8,
            10,
            120,
            false);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    BenchResult result =
        new BenchRun(config, new PrintStream(log, true, StandardCharsets.UTF_8)).execute();

    assertThat(result.connected()).as(log.toString(StandardCharsets.UTF_8)).isEqualTo(50);
    assertThat(result.accepted()).isEqualTo(150).isEqualTo(result.published());
    assertThat(result.expected()).isEqualTo(150L * 10);
    assertThat(result.delivered()).isEqualTo(result.expected());
    assertThat(result.duplicates()).isZero();
    assertThat(result.missing()).isZero();
    assertThat(result.foreign()).isZero();
    assertThat(result.latencySamples()).isEqualTo(100L * 10);
    assertThat(result.fanoutP99Ms()).isPositive();
    assertThat(result.gatewayRssKib()).isPositive();
    assertThat(result.toJsonLine()).startsWith("{\"label\":\"it/" + protocol + "\"");
  }

  @Test
  void theStreamingLoadEndsEveryTextExactAfterAWarmUpPassWithReconnectsInBoth() throws Exception {
    StreamLoad.Config config =
        new StreamLoad.Config(
            base(publishApi),
            base(gateway),
            Services.API_KEY,
            Services.SECRET,
            4,
            2,
            20,
            3,
            1,
            0.5,
            2,
            8,
            ProcessHandle.current().pid(),
            ProcessHandle.current().pid());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    StreamLoad.Outcome outcome =
        new StreamLoad(config, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    String progress = log.toString(StandardCharsets.UTF_8);

    assertThat(outcome.clean()).as(progress + outcome.table()).isTrue();
    assertThat(progress)
        .contains("(warm-up pass): 8 subscribers ready")
        .contains("warm-up pass (not recorded):")
        .contains("subscribers with the exact text: 8/8 (reconnected: 4/4)")
        .contains("(measured pass): 8 subscribers ready");
    assertThat(outcome.table()).contains("server CPU while streaming, % of one core: ");
    assertThat(outcome.json())
        .contains("\"linesAccepted\":244,")
        .contains("\"exactText\":8,\"reconnected\":4,\"reconnectedExact\":4,")
        .contains("\"gaps\":0,\"duplicates\":0,\"recoveredFalse\":0,\"unplannedDrops\":0,")
        .contains("\"serverCpuPercent\":")
        .doesNotContain("gatewayCpuPercent")
        .doesNotContain("NaN");
  }

  private static URI base(ApplicationContext context) {
    URI uri = Services.uri(context);
    return URI.create("http://127.0.0.1:" + uri.getPort());
  }
}
