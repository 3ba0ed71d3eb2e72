package dev.relay.bench;

import dev.relay.bench.client.Protocol;
import java.net.URI;

/**
 * One bench run's parameters, validated by {@link #validate}.
 *
 * @param publishUrl base URL of publish-api (or the peer) taking {@code POST /v1/events}
 * @param gatewayUrl base URL of the gateway (or the peer) for WebSocket connections
 * @param connections connections to open and hold for the whole run
 * @param rooms sessions {@code r0..r<rooms-1>}; connection {@code i} and event {@code seq} go to
 *     {@code i % rooms} and {@code seq % rooms}
 * @param rate events per second; 0 holds the connections idle for {@code durationSeconds}
 * @param warmupSeconds published first, counted for delivery but not for latency or CPU
 * @param gatewayPid process whose RSS per connection and CPU are reported (0: none)
 * @param publishPid process whose CPU is reported (0: none; may equal {@code gatewayPid})
 * @param jvmHeap also measure the gateway's live heap after a full GC with {@code jcmd}
 */
public record BenchConfig(
    String label,
    URI publishUrl,
    URI gatewayUrl,
    Protocol protocol,
    int connections,
    int rooms,
    double rate,
    int durationSeconds,
    int warmupSeconds,
    int payloadBytes,
    String apiKey,
    String jwtSecret,
    long gatewayPid,
    long publishPid,
    boolean jvmHeap,
    int threads,
    int connectConcurrency,
    int publishConnections,
    int drainSeconds,
    int tokenTtlSeconds,
    boolean progress) {

  /** Throws {@link IllegalArgumentException} naming the first bad parameter. */
  public BenchConfig validate() {
    require(connections >= 0 && connections <= 100_000, "--connections must be 0..100000");
    require(rooms >= 1 && rooms <= 1_000_000, "--rooms must be ≥ 1");
    require(rate >= 0 && rate <= 100_000, "--rate must be 0..100000 events/s");
    require(durationSeconds >= 1 && warmupSeconds >= 0, "--duration ≥ 1 and --warmup ≥ 0");
    require(
        warmupSeconds + durationSeconds + 30 < tokenTtlSeconds,
        "--warmup + --duration must end 30 s before the tokens expire (--token-ttl)");
    require(payloadBytes >= 0 && payloadBytes <= 60_000, "--payload-bytes must be 0..60000");
    require(apiKey != null && !apiKey.isBlank(), "--api-key (or RELAY_API_KEY) is required");
    require(
        jwtSecret != null && jwtSecret.length() >= 32,
        "--jwt-secret (or JWT_SIGNING_SECRET) of ≥ 32 bytes is required");
    require(threads >= 1 && threads <= 64, "--threads must be 1..64");
    require(publishUrl.getPort() > 0 && gatewayUrl.getPort() > 0, "URLs need explicit ports");
    return this;
  }

  /** Events published in total: warm-up plus measured. */
  public long totalEvents() {
    return (long) Math.floor(rate * (warmupSeconds + durationSeconds));
  }

  public long warmupEvents() {
    return (long) Math.floor(rate * warmupSeconds);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
