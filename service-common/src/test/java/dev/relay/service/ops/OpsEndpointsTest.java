package dev.relay.service.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The ops endpoints on the memory engine, with a test check that can be switched off. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsEndpointsTest implements TestPropertyProvider {

  /** A readiness check this test controls. */
  @Singleton
  @Requires(property = "spec.name", value = "OpsEndpointsTest")
  static class SwitchCheck implements ReadinessCheck {
    final AtomicBoolean ready = new AtomicBoolean(true);

    @Override
    public String name() {
      return "switch";
    }

    @Override
    public CompletionStage<Boolean> check() {
      return CompletableFuture.completedFuture(ready.get());
    }
  }

  @Inject
  @Client("/")
  HttpClient client;

  @Inject SwitchCheck switchCheck;

  @Override
  public Map<String, String> getProperties() {
    return Map.of("relay.engine", "memory", "spec.name", "OpsEndpointsTest");
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() {
    HttpResponse<String> health =
        client.toBlocking().exchange(HttpRequest.GET("/healthz"), String.class);
    assertThat(health.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(health.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(health.header("Referrer-Policy")).isEqualTo("no-referrer");
    HttpClientResponseException missing =
        org.junit.jupiter.api.Assertions.assertThrows(
            HttpClientResponseException.class,
            () -> client.toBlocking().exchange(HttpRequest.GET("/no/such/page"), String.class));
    assertThat(missing.getResponse().header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void readyzFollowsEveryCheck() {
    switchCheck.ready.set(true);
    HttpResponse<Map> ready = client.toBlocking().exchange(HttpRequest.GET("/readyz"), Map.class);
    assertThat(ready.code()).isEqualTo(200);

    switchCheck.ready.set(false);
    HttpClientResponseException notReady =
        org.junit.jupiter.api.Assertions.assertThrows(
            HttpClientResponseException.class,
            () ->
                client
                    .toBlocking()
                    .exchange(
                        HttpRequest.GET("/readyz"),
                        Argument.of(Map.class),
                        Argument.of(Map.class)));
    assertThat(notReady.getStatus().getCode()).isEqualTo(503);
    assertThat(notReady.getResponse().getBody(Map.class).orElseThrow().get("failing"))
        .isEqualTo(java.util.List.of("switch"));
    switchCheck.ready.set(true);
  }

  @Test
  void infoReportsTheMemoryEngineAndInstance() {
    Map<?, ?> info = client.toBlocking().retrieve(HttpRequest.GET("/info"), Map.class);
    assertThat(info.get("engine")).isEqualTo("memory");
    assertThat(info.get("instanceId")).isEqualTo(dev.relay.service.logging.InstanceId.current());
    assertThat(info.get("name")).isEqualTo("relay");
  }

  @Test
  void healthzAndMetricsAnswer() {
    assertThat(client.toBlocking().exchange(HttpRequest.GET("/healthz")).code()).isEqualTo(200);
    String metrics = client.toBlocking().retrieve(HttpRequest.GET("/metrics"), String.class);
    assertThat(metrics).contains("# TYPE");
  }
}
