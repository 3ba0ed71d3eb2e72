package dev.relay.service.intake;

import dev.relay.service.http.ErrorMetrics;
import dev.relay.service.net.ClientAddress;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports conditions a client caused on a connection (aborted upload, oversized body, slow
 * request): every occurrence is counted in {@code relay_errors_total{type}}, but at most one line
 * per connection is logged, at INFO, without a stack trace, with every value cut to {@value
 * #MAX_VALUE_CHARS} characters, so a hostile client cannot fill the logs. Thread-safe.
 */
public final class ClientFaults {

  static final int MAX_VALUE_CHARS = 200;

  private static final Logger LOG = LoggerFactory.getLogger(ClientFaults.class);
  private static final AttributeKey<Boolean> LOGGED = AttributeKey.valueOf("relay-client-fault");

  private final MeterRegistry meters;

  public ClientFaults(MeterRegistry meters) {
    this.meters = meters;
  }

  /**
   * Counts one fault of {@code type} (a fixed word) and logs {@code what} with the request line and
   * the peer, unless this connection already logged one.
   */
  public void report(Channel channel, String type, String what, String method, String uri) {
    meters.counter(ErrorMetrics.ERRORS, "type", type).increment();
    if (channel.attr(LOGGED).setIfAbsent(Boolean.TRUE) != null) {
      return;
    }
    LOG.info(
        "client fault {}: {} (request {} {}, peer {}; further faults on this connection are not"
            + " logged)",
        type,
        cut(what),
        cut(method),
        cut(pathOnly(uri)),
        peer(channel));
  }

  /** The value, at most {@value #MAX_VALUE_CHARS} characters; "-" for null. */
  static String cut(String value) {
    if (value == null) {
      return "-";
    }
    return value.length() <= MAX_VALUE_CHARS ? value : value.substring(0, MAX_VALUE_CHARS) + "…";
  }

  /** Query strings may carry tokens and are never logged. */
  private static String pathOnly(String uri) {
    if (uri == null) {
      return null;
    }
    return IntakeRoutes.pathOf(uri);
  }

  private static String peer(Channel channel) {
    String ip = ClientAddress.peerIp(channel.remoteAddress());
    return ip == null ? "-" : ip;
  }
}
