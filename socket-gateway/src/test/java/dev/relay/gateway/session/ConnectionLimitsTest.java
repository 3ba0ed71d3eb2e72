package dev.relay.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.engine.ratelimit.Limit;
import org.junit.jupiter.api.Test;

/** The per-connection bounds of SPEC §10 that the session keeps itself. */
class ConnectionLimitsTest {

  @Test
  void theChurnBucketAllowsTheBurstThenTheRate() {
    ConnectionBucket bucket = new ConnectionBucket(Limit.perSecond(20).withBurst(40), 0);
    int taken = 0;
    while (bucket.tryTake(0)) {
      taken++;
    }
    assertThat(taken).isEqualTo(40);
    assertThat(bucket.tryTake(49)).isFalse();
    assertThat(bucket.tryTake(50)).isTrue();
    assertThat(bucket.tryTake(50)).isFalse();
    int inASecond = 0;
    for (long now = 51; now <= 1050; now++) {
      inASecond += bucket.tryTake(now) ? 1 : 0;
    }
    assertThat(inASecond).isEqualTo(20);
  }

  @Test
  void theTokenLedgerKeepsLiveTokensOnlyAndIsBounded() {
    TokenLedger ledger = new TokenLedger();
    for (int i = 0; i < TokenLedger.MAX; i++) {
      assertThat(ledger.add("jti-" + i, 1_000, 0)).isTrue();
    }
    assertThat(ledger.add("one-too-many", 1_000, 0)).isFalse();
    assertThat(ledger.contains("jti-0")).isTrue();
    assertThat(ledger.add("after-expiry", 5_000, 1_000)).isTrue();
    assertThat(ledger.contains("jti-0")).isFalse();
    assertThat(ledger.add(null, 0, 0)).isTrue();
  }
}
