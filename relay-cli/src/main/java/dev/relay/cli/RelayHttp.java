package dev.relay.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * One HTTP exchange with a Relay service, failing with one line that says which service could not
 * be reached and how to point the CLI at it.
 */
final class RelayHttp {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RelayHttp() {}

  static HttpResponse<String> send(String service, String baseUrl, HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliError.failure("interrupted", e);
    } catch (IOException e) {
      throw unreachable(service, baseUrl, e);
    }
  }

  /** The one line for a service that cannot be reached. */
  static CliError unreachable(String service, String baseUrl, Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null
        && !(cause instanceof ConnectException)
        && !(cause instanceof HttpTimeoutException)) {
      cause = cause.getCause();
    }
    String why =
        cause instanceof HttpConnectTimeoutException
            ? "connection timed out"
            : cause instanceof HttpTimeoutException
                ? "no answer in time"
                : cause instanceof ConnectException
                    ? "connection refused"
                    : FailureReporter.describe(e);
    return CliError.failure(
        "cannot reach "
            + service
            + " at "
            + baseUrl
            + " ("
            + why
            + "): is ./relay dev running? Otherwise set "
            + (service.equals("the gateway") ? "RELAY_GATEWAY_URL" : "RELAY_URL"),
        e);
  }
}
