package dev.relay.publish.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contracts.EventId;
import dev.relay.engine.Appended;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** The fast path's answers: the 202 body and headers, and its request timers. */
class FastPublishAnswersTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final FastPublishAnswers answers = new FastPublishAnswers(meters, null);

  @Test
  void acceptedCarriesIdRoomDuplicateAndTheDateOfThisSecond() {
    EventId id = EventId.ofStreamId("1700000000000-0", "abc123");
    Instant before = Instant.now().minusSeconds(1);
    FullHttpResponse response =
        answers.accepted(UnpooledByteBufAllocator.DEFAULT, new Appended(id, "task:1", false, "{}"));
    try {
      assertThat(response.content().toString(StandardCharsets.UTF_8))
          .isEqualTo("{\"id\":\"" + id + "\",\"room\":\"task:1\",\"duplicate\":false}");
      Instant date =
          ZonedDateTime.parse(response.headers().get("date"), DateTimeFormatter.RFC_1123_DATE_TIME)
              .toInstant();
      assertThat(date).isBetween(before, Instant.now().plus(Duration.ofSeconds(1)));
    } finally {
      response.release();
    }
  }

  @Test
  void eachTagSetIsOneTimerCountingEveryRequest() {
    long start = System.nanoTime();
    answers.record("/v1/events", 202, null, start);
    answers.record("/v1/events", 202, null, start);
    answers.record("/v1/events", 503, new IllegalStateException(), start);
    answers.record("/events", 202, null, start);

    assertThat(meters.find(FastPublishAnswers.REQUESTS_TIMER).timers()).hasSize(3);
    Timer ok =
        meters
            .get(FastPublishAnswers.REQUESTS_TIMER)
            .tags("uri", "/v1/events", "status", "202", "method", "POST", "exception", "none")
            .timer();
    assertThat(ok.count()).isEqualTo(2);
    assertThat(
            meters
                .get(FastPublishAnswers.REQUESTS_TIMER)
                .tags("status", "503", "exception", "IllegalStateException")
                .timer()
                .count())
        .isEqualTo(1);
  }
}
