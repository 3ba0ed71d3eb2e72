/**
 * The adversarial suite (issue #18 item 4): black-box ITs that attack a real stack and assert the
 * bounds of SPEC §10, one class per family of attacks, each attack named with its bound in the
 * class comment.
 *
 * <p><b>The stack.</b> {@link dev.relay.cli.hostile.HostileStack}: a {@code redis-server} of its
 * own and {@code java -jar target/relay.jar publish-api} / {@code gateway} as separate processes
 * with default settings (only {@code REDIS_URL}, {@code RELAY_API_KEY}, {@code JWT_SIGNING_SECRET},
 * {@code PORT}, {@code ADMIN_API_KEY}; every other {@code RELAY_*} variable removed). Most classes
 * share one stack ({@link dev.relay.cli.hostile.SharedStack}); the drain and handshake-limit
 * attacks get their own because they change it for good. Process logs are kept in {@code
 * relay-cli/target/hostile/}.
 *
 * <p><b>The clients.</b> {@link dev.relay.testkit.RawWebSocket} speaks RFC 6455 by hand on a plain
 * socket with a 4 KiB receive buffer and reads only when told, so the gateway's writes back up as
 * behind a client that stopped reading; {@link dev.relay.cli.hostile.HostileWriter} floods and then
 * probes it: the first failed write is when the server's end of the TCP connection is gone. {@link
 * dev.relay.testkit.EngineIoPolling} opens a long-polling session and can never poll again.
 *
 * <p><b>What is measured</b> ({@link dev.relay.cli.hostile.GatewayProbe}): memory growth = live
 * heap (non-Eden pools right after {@code jcmd <pid> GC.run}) plus the JDK direct buffer pool
 * ({@code jvm_buffer_memory_used_bytes{id="direct"}}, where Netty's buffers land on JDK 17 without
 * {@code io.netty.tryReflectionSetAccessible}); close codes where the client can still read them;
 * when the TCP connection ended relative to the deciding moment (the auth deadline from the
 * upgrade, or the moment {@code relay_errors_total{type="slow_consumer"}} counted it); and the JSON
 * log lines the gateway printed during the attack ({@link dev.relay.cli.hostile.HostileChecks}).
 *
 * <p>Bounded: at most 60 MiB of pings, 200 events of 60 KB per slow-consumer attack, 300
 * subscribe/unsubscribe pairs, 650 handshakes; every wait has a deadline.
 */
package dev.relay.cli.hostile;
