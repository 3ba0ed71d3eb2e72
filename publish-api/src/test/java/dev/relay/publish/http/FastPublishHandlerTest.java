package dev.relay.publish.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which requests the fast publish path takes; everything else stays Micronaut's. */
class FastPublishHandlerTest {

  private static HttpRequest post(String uri, String... headers) {
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
    for (int i = 0; i < headers.length; i += 2) {
      request.headers().add(headers[i], headers[i + 1]);
    }
    return request;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/v1/events,/v1/events",
    "/v1/events/,/v1/events",
    "/v1/events?a=1,/v1/events",
    "/events,/events",
    "/events/?x,/events",
  })
  void takesThePublishRoutes(String uri, String route) {
    assertThat(FastPublishHandler.takes(post(uri))).isEqualTo(route);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"/v1/events:batch", "/v1/events:stream", "/V1/events", "/v1/events/x", "//events"})
  void leavesOtherPathsToMicronaut(String uri) {
    assertThat(FastPublishHandler.takes(post(uri))).isNull();
  }

  @Test
  void leavesOtherMethodsVersionsAndSpecialHeadersToMicronaut() {
    assertThat(
            FastPublishHandler.takes(
                new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, "/v1/events")))
        .isNull();
    assertThat(
            FastPublishHandler.takes(
                new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.POST, "/v1/events")))
        .isNull();
    assertThat(FastPublishHandler.takes(post("/v1/events", "Origin", "https://a.example")))
        .isNull();
    assertThat(FastPublishHandler.takes(post("/v1/events", "Content-Encoding", "gzip"))).isNull();
    assertThat(FastPublishHandler.takes(post("/v1/events", "Upgrade", "h2c"))).isNull();
    assertThat(FastPublishHandler.takes(post("/v1/events", "Accept", "text/html"))).isNull();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "*/*|true",
        "application/json|true",
        "application/*, text/html|true",
        "application/*;q=0.5, text/html|false",
        "text/html, application/json;charset=utf-8|true",
        "text/html|false",
        "application/json;q=0|false",
        "application/xml|false"
      })
  void acceptMustAllowJson(String accept, boolean taken) {
    assertThat(FastPublishHandler.acceptsJson(accept)).isEqualTo(taken);
  }
}
