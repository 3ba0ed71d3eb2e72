package dev.relay.gateway.session;

import dev.relay.engine.ratelimit.Limit;
import dev.relay.engine.ratelimit.RateDecision;
import dev.relay.engine.ratelimit.RateLimiter;
import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.auth.TokenCheck;
import dev.relay.gateway.auth.TokenVerifier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a new connection may start, for both protocols: the token must verify, and
 * connection attempts are limited per client IP and per {@code sub} (SPEC §4 defaults 600/min and
 * 30/min), in buckets shared by every gateway. The reply comes on {@code executor}.
 */
public final class ConnectionAdmission {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionAdmission.class);

  /**
   * Connection attempts allowed per IP and per user, and how many connections one user may hold
   * open on one gateway ({@code maxOpenPerSub}; checked when admitting, so simultaneous attempts
   * may pass it by a few).
   */
  public record Limits(Limit perIp, Limit perSub, int maxOpenPerSub) {

    public static Limits defaults() {
      return new Limits(Limit.perMinute(600), Limit.perMinute(30), 100);
    }
  }

  private final TokenVerifier tokens;
  private final RateLimiter limiter;
  private final Limits limits;
  private final ToIntFunction<String> openConnections;
  private final Consumer<String> onRefused;

  /**
   * @param openConnections how many connections a {@code sub} has open on this gateway
   * @param onRefused told the client-visible code of every refused connection ({@code
   *     unauthorized}, {@code token_expired}, {@code rate_limited}, {@code limit_exceeded}, {@code
   *     unavailable}); must not block
   */
  public ConnectionAdmission(
      TokenVerifier tokens,
      RateLimiter limiter,
      Limits limits,
      ToIntFunction<String> openConnections,
      Consumer<String> onRefused) {
    this.tokens = tokens;
    this.limiter = limiter;
    this.limits = limits;
    this.openConnections = openConnections;
    this.onRefused = onRefused;
  }

  /** Verifies {@code token} for a client at {@code clientIp}; replies with the grant or a code. */
  public void admit(
      String token, String clientIp, Executor executor, Reply<ConnectionGrant> reply) {
    CompletionStage<RateDecision> byIp =
        clientIp == null
            ? CompletableFuture.completedFuture(new RateDecision(true, 0))
            : limiter.tryAcquire("conn:ip:" + clientIp, limits.perIp(), 1);
    byIp.thenCompose(
            ip -> {
              if (!ip.allowed()) {
                return CompletableFuture.completedFuture(Verdict.rateLimited(ip));
              }
              TokenCheck<ConnectionGrant> check = tokens.verifyConnection(token);
              if (check instanceof TokenCheck.Refused<ConnectionGrant> refused) {
                return CompletableFuture.completedFuture(Verdict.refused(refused));
              }
              ConnectionGrant grant = ((TokenCheck.Valid<ConnectionGrant>) check).grant();
              if (openConnections.applyAsInt(grant.sub()) >= limits.maxOpenPerSub()) {
                return CompletableFuture.completedFuture(Verdict.tooManyOpen());
              }
              return limiter
                  .tryAcquire("conn:sub:" + grant.sub(), limits.perSub(), 1)
                  .thenApply(
                      sub -> sub.allowed() ? Verdict.admitted(grant) : Verdict.rateLimited(sub));
            })
        .whenCompleteAsync(
            (verdict, failure) -> {
              if (failure != null) {
                LOG.warn("admission failed: {}", failure.toString());
                onRefused.accept(ErrorCodes.UNAVAILABLE);
                reply.error(ErrorCodes.UNAVAILABLE, "try again");
              } else if (verdict.grant != null) {
                reply.ok(verdict.grant);
              } else {
                LOG.info("connection refused ({}): {}", verdict.code, verdict.reason);
                onRefused.accept(verdict.code);
                reply.error(verdict.code, verdict.detail);
              }
            },
            executor);
  }

  private static final class Verdict {
    final ConnectionGrant grant;
    final String code;
    final String detail;
    final String reason;

    private Verdict(ConnectionGrant grant, String code, String detail, String reason) {
      this.grant = grant;
      this.code = code;
      this.detail = detail;
      this.reason = reason;
    }

    static Verdict admitted(ConnectionGrant grant) {
      return new Verdict(grant, null, null, null);
    }

    static Verdict refused(TokenCheck.Refused<ConnectionGrant> refused) {
      return new Verdict(null, refused.code(), "token refused", refused.reason());
    }

    static Verdict tooManyOpen() {
      return new Verdict(
          null, ErrorCodes.LIMIT_EXCEEDED, "too many open connections", "connections per sub");
    }

    static Verdict rateLimited(RateDecision decision) {
      String wait = "retry after " + decision.retryAfterSeconds() + " s";
      return new Verdict(null, ErrorCodes.RATE_LIMITED, wait, "too many connection attempts");
    }
  }
}
