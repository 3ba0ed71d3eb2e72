package dev.relay.service.http;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Security headers on every HTTP answer of both services: no MIME sniffing, no framing, no
 * referrer. Pages that need a Content-Security-Policy set their own. (WebSocket upgrades are
 * answered by the gateway's Netty handler and carry none of these; they do not render.)
 */
@ServerFilter("/**")
public class SecurityHeadersFilter {

  @ResponseFilter
  public void addHeaders(MutableHttpResponse<?> response) {
    response.header("X-Content-Type-Options", "nosniff");
    response.header("X-Frame-Options", "DENY");
    response.header("Referrer-Policy", "no-referrer");
  }
}
