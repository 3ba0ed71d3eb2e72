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

  @Test
  void theTokenLedgerKeepsEveryLiveTokenWhicheverExpiresFirst() {
    TokenLedger ledger = new TokenLedger();
    assertThat(ledger.add("first", 1_000, 0)).isTrue();
    assertThat(ledger.add("refreshed", 3_000, 500)).isTrue();
    assertThat(ledger.add("first", 2_000, 600)).isTrue(); // the same token again: one entry
    assertThat(ledger.contains("first")).isTrue();
    assertThat(ledger.contains("refreshed")).isTrue();
    assertThat(ledger.contains("never-used")).isFalse();

    assertThat(ledger.add("again", 4_000, 2_000)).isTrue(); // the first token expired by now
    assertThat(ledger.contains("first")).isFalse();
    assertThat(ledger.contains("refreshed")).isTrue();
    assertThat(ledger.contains("again")).isTrue();

    assertThat(ledger.add("last", 9_000, 3_500)).isTrue(); // only "again" is still live
    assertThat(ledger.contains("refreshed")).isFalse();
    assertThat(ledger.contains("again")).isTrue();
    assertThat(ledger.contains("last")).isTrue();
  }

  @Test
  void theTokenLedgerStaysBoundedAfterItsFirstTokenExpired() {
    TokenLedger ledger = new TokenLedger();
    assertThat(ledger.add("first", 100, 0)).isTrue();
    for (int i = 1; i < TokenLedger.MAX; i++) {
      assertThat(ledger.add("jti-" + i, 1_000, 0)).isTrue();
    }
    assertThat(ledger.add("one-too-many", 1_000, 50)).isFalse();
    assertThat(ledger.add("in-its-place", 1_000, 100)).isTrue(); // "first" expired at 100
    assertThat(ledger.add("one-too-many", 1_000, 100)).isFalse();
    assertThat(ledger.contains("first")).isFalse();
    assertThat(ledger.contains("in-its-place")).isTrue();
    assertThat(ledger.contains("jti-1")).isTrue();
  }
}
