package dev.relay.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OutageWarningTest {

  private final Logger logger = (Logger) LoggerFactory.getLogger("outage-warning-test");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final AtomicLong now = new AtomicLong(1_000);
  private final OutageWarning warning =
      new OutageWarning(logger, "presence leave not recorded", Duration.ofSeconds(10), now::get);

  @BeforeEach
  void attach() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(lines);
  }

  @Test
  void aThousandFailuresInOneIntervalAreOneLine() {
    for (int i = 0; i < 1000; i++) {
      warning.report(new IllegalStateException("redis down"));
    }

    assertThat(lines.list)
        .singleElement()
        .extracting(ILoggingEvent::getFormattedMessage)
        .isEqualTo("presence leave not recorded: java.lang.IllegalStateException: redis down");
  }

  @Test
  void theNextLineAfterTheIntervalCountsTheOnesLeftOut() {
    assertThat(warning.report(new IllegalStateException("down"))).isTrue();
    assertThat(warning.report(new IllegalStateException("down"))).isFalse();
    assertThat(warning.report(new IllegalStateException("down"))).isFalse();

    now.addAndGet(Duration.ofSeconds(10).toNanos());

    assertThat(warning.report(new IllegalStateException("still down"))).isTrue();
    assertThat(lines.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "presence leave not recorded: java.lang.IllegalStateException: down",
            "presence leave not recorded: java.lang.IllegalStateException: still down"
                + " (2 more since the last such line)");
  }
}
