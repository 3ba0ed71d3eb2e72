package dev.relay.service.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class RelayLogConfiguratorTest {

  private final LoggerContext context = new LoggerContext();

  @BeforeEach
  void shareTheMdc() {
    context.setMDCAdapter(MDC.getMDCAdapter());
  }

  @AfterEach
  void stop() {
    context.stop();
  }

  @Test
  void defaultsToOneJsonObjectPerLineWithTheInstanceIdAtInfo() throws Exception {
    RelayLogConfigurator.apply(context, name -> null);

    assertThat(root().getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("relay.events").getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.lettuce").getLevel()).isEqualTo(Level.WARN);

    MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
    try {
      JsonNode line = new ObjectMapper().readTree(encode(event("published", Level.INFO)));
      assertThat(line.path("message").asText()).isEqualTo("published");
      assertThat(line.path("level").asText()).isEqualTo("INFO");
      assertThat(line.path("instanceId").asText()).isEqualTo(InstanceId.current());
      assertThat(line.path("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(line.has("caller_class_name")).isFalse();
    } finally {
      MDC.remove("traceId");
    }
  }

  @Test
  void plainFormatAndLevelsComeFromTheSettings() {
    Map<String, String> settings =
        Map.of(
            "RELAY_LOG_FORMAT", "PLAIN",
            "RELAY_LOG_LEVEL", "warn",
            "RELAY_EVENT_LOG_LEVEL", "DEBUG");
    RelayLogConfigurator.apply(context, settings::get);

    assertThat(root().getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("relay.events").getLevel()).isEqualTo(Level.DEBUG);
    String line = encode(event("ready", Level.WARN));
    assertThat(line).contains(" WARN ", "[" + InstanceId.current() + "]", "ready").endsWith("\n");
    assertThat(line).doesNotStartWith("{");
  }

  @Test
  void anUnknownLevelFallsBackToInfoRatherThanSilencingLogs() {
    RelayLogConfigurator.apply(context, Map.of("RELAY_LOG_LEVEL", "loud")::get);

    assertThat(root().getLevel()).isEqualTo(Level.INFO);
  }

  private ch.qos.logback.classic.Logger root() {
    return context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private ILoggingEvent event(String message, Level level) {
    ch.qos.logback.classic.Logger logger = context.getLogger("dev.relay.test");
    return new LoggingEvent(getClass().getName(), logger, level, message, null, null);
  }

  private String encode(ILoggingEvent event) {
    OutputStreamAppender<ILoggingEvent> console =
        (OutputStreamAppender<ILoggingEvent>) root().getAppender("console");
    return new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
  }
}
