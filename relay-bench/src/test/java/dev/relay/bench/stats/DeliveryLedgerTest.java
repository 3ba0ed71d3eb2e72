package dev.relay.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {

  @Test
  void countsDuplicatesMissingAndForeignPerConnection() {
    DeliveryLedger ledger = new DeliveryLedger(2, 100, 0);
    for (long seq = 0; seq < 6; seq++) {
      ledger.published(seq, 1_000);
      ledger.accepted(seq);
    }
    DeliveryLedger.Receiver even = ledger.receiver(0);
    DeliveryLedger.Receiver odd = ledger.receiver(1);
    even.received(0, 2_000);
    even.received(2, 2_000);
    even.received(2, 2_000); // duplicate
    even.received(4, 2_000);
    even.received(3, 2_000); // another room's event
    odd.received(1, 2_000); // 3 and 5 missing

    DeliveryLedger.Totals totals = ledger.totals(List.of(even, odd));
    assertThat(totals.expected()).isEqualTo(6);
    assertThat(totals.delivered()).isEqualTo(4);
    assertThat(totals.duplicates()).isEqualTo(1);
    assertThat(totals.missing()).isEqualTo(2);
    assertThat(totals.foreign()).isEqualTo(1);
    assertThat(totals.complete()).isFalse();
  }

  @Test
  void completeWhenEveryAcceptedEventArrivedOnce() {
    DeliveryLedger ledger = new DeliveryLedger(1, 10, 0);
    DeliveryLedger.Receiver a = ledger.receiver(0);
    DeliveryLedger.Receiver b = ledger.receiver(0);
    for (long seq = 0; seq < 3; seq++) {
      ledger.published(seq, 0);
      ledger.accepted(seq);
      a.received(seq, 10);
      b.received(seq, 10);
    }
    ledger.published(3, 0); // refused by the server: never accepted, never expected
    DeliveryLedger.Totals totals = ledger.totals(List.of(a, b));
    assertThat(totals.expected()).isEqualTo(6);
    assertThat(totals.delivered()).isEqualTo(6);
    assertThat(totals.complete()).isTrue();
  }

  @Test
  void latencyIsFromPublishStartAndSkipsWarmUpAndDuplicates() {
    DeliveryLedger ledger = new DeliveryLedger(1, 10, 2);
    DeliveryLedger.Receiver r = ledger.receiver(0);
    for (long seq = 0; seq < 4; seq++) {
      ledger.published(seq, 1_000_000);
      ledger.accepted(seq);
    }
    r.received(0, 100_000_000); // warm-up: not measured
    r.received(1, 100_000_000);
    r.received(2, 3_000_000); // 2 ms
    r.received(3, 5_000_000); // 4 ms
    r.received(3, 90_000_000); // duplicate: not measured
    Samples.Sorted latencies = ledger.latencies();
    assertThat(latencies.count()).isEqualTo(2);
    assertThat(latencies.percentileMillis(50)).isEqualTo(2.0);
    assertThat(latencies.maxMillis()).isEqualTo(4.0);
  }
}
