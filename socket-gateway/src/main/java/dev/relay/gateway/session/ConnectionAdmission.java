package dev.relay.gateway.session;

import dev.relay.contracts.ErrorCodes;
import dev.relay.engine.ratelimit.Limit;
import dev.relay.engine.ratelimit.RateDecision;
import dev.relay.engine.ratelimit.RateLimiter;
import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.auth.TokenCheck;
import dev.relay.gateway.auth.TokenVerifier;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a new connection may start, for both protocols: connection attempts are limited
 * per client IP when they arrive ({@link #attempt}: every WebSocket upgrade and Engine.IO
 * handshake, SPEC §10), then the token must verify and the user's attempts are limited per {@code
 * sub} (SPEC §4 defaults 600/min and 30/min), in buckets shared by every gateway.
 */
public final class ConnectionAdmission {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionAdmission.class);
  private static final OutageWarning ADMISSION_FAILED =
      new OutageWarning(LOG, "admission failed", Duration.ofSeconds(10));

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

  /**
   * One connection attempt from {@code clientIp} (a WebSocket upgrade or an Engine.IO handshake),
   * charged to its per-IP bucket before anything else is done for it: completes with 0 when it may
   * go on, else with the seconds to wait.
   */
  public CompletionStage<Long> attempt(String clientIp) {
    if (clientIp == null) {
      return CompletableFuture.completedFuture(0L);
    }
    return limiter
        .tryAcquire("conn:ip:" + clientIp, limits.perIp(), 1)
        .thenApply(
            decision -> {
              if (decision.allowed()) {
                return 0L;
              }
              onRefused.accept(ErrorCodes.RATE_LIMITED);
              return Math.max(1L, Math.min(60L, decision.retryAfterSeconds()));
            });
  }

  /**
   * Verifies {@code token} of a connection whose attempt was already counted ({@link #attempt});
   * replies on {@code executor} with the grant or a client-visible code.
   */
  public void admit(String token, Executor executor, Reply<ConnectionGrant> reply) {
    CompletionStage<Verdict> verdict;
    TokenCheck<ConnectionGrant> check = tokens.verifyConnection(token);
    if (check instanceof TokenCheck.Refused<ConnectionGrant> refused) {
      verdict = CompletableFuture.completedFuture(Verdict.refused(refused));
    } else {
      ConnectionGrant grant = ((TokenCheck.Valid<ConnectionGrant>) check).grant();
      if (openConnections.applyAsInt(grant.sub()) >= limits.maxOpenPerSub()) {
        verdict = CompletableFuture.completedFuture(Verdict.tooManyOpen());
      } else {
        verdict =
            limiter
                .tryAcquire("conn:sub:" + grant.sub(), limits.perSub(), 1)
                .thenApply(
                    sub -> sub.allowed() ? Verdict.admitted(grant) : Verdict.rateLimited(sub));
      }
    }
    verdict.whenCompleteAsync(
        (v, failure) -> {
          if (failure != null) {
            ADMISSION_FAILED.report(failure);
            onRefused.accept(ErrorCodes.UNAVAILABLE);
            reply.error(ErrorCodes.UNAVAILABLE, "try again");
          } else if (v.grant != null) {
            reply.ok(v.grant);
          } else {
            LOG.info("connection refused ({}): {}", v.code, v.reason);
            onRefused.accept(v.code);
            reply.error(v.code, v.detail);
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
