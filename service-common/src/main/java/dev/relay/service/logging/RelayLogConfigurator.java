package dev.relay.service.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.function.UnaryOperator;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.Logger;

/**
 * Relay's logging set-up, in code rather than {@code logback.xml}: parsing XML with Joran cost a
 * fifth of a second of every start, and SPEC §9 bounds start to ready at 1.5 s.
 *
 * <p>What it sets up: one console appender; one JSON object per line (logstash encoder, with {@code
 * instanceId}), or with {@code RELAY_LOG_FORMAT=plain} a readable pattern; the root level from
 * {@code RELAY_LOG_LEVEL} (INFO); the per-event lines of logger {@code relay.events} from {@code
 * RELAY_EVENT_LOG_LEVEL} (INFO, so the DEBUG lines are off); Netty and Lettuce at WARN. Each
 * setting is read from a system property of the same name first, then the environment. Request
 * logging stays off: nothing logs query strings or Authorization headers.
 *
 * <p>A file named by {@code -Dlogback.configurationFile}, or a {@code logback-test.xml} on the
 * class path, takes precedence: this configurator then steps aside for logback's own.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class RelayLogConfigurator extends ContextAwareBase implements Configurator {

  static final String PLAIN_PATTERN =
      "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} [INSTANCE_ID] %X{traceId:-} %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || getClass().getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context, RelayLogConfigurator::setting);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Configures {@code context}; {@code settings} answers a setting's value or null. */
  static void apply(LoggerContext context, UnaryOperator<String> settings) {
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setEncoder(encoder(context, orDefault(settings, "RELAY_LOG_FORMAT", "json")));
    console.start();

    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(orDefault(settings, "RELAY_LOG_LEVEL", "INFO"), Level.INFO));
    root.addAppender(console);
    context
        .getLogger("relay.events")
        .setLevel(Level.toLevel(orDefault(settings, "RELAY_EVENT_LOG_LEVEL", "INFO"), Level.INFO));
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("io.lettuce").setLevel(Level.WARN);
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
    if ("plain".equalsIgnoreCase(format)) {
      PatternLayoutEncoder plain = new PatternLayoutEncoder();
      plain.setContext(context);
      plain.setPattern(PLAIN_PATTERN.replace("INSTANCE_ID", InstanceId.current()));
      plain.start();
      return plain;
    }
    LogstashEncoder json = new LogstashEncoder();
    json.setContext(context);
    json.setCustomFields("{\"instanceId\":\"" + InstanceId.current() + "\"}");
    json.setIncludeCallerData(false);
    json.start();
    return json;
  }

  /** A system property of that name, else the environment variable (null: neither). */
  private static String setting(String name) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? System.getenv(name) : value;
  }

  private static String orDefault(UnaryOperator<String> settings, String name, String fallback) {
    String value = settings.apply(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
