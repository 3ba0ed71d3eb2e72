package dev.relay.gateway.netty;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.lang.reflect.Field;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Micronaut's HTTP pipeline leaves on a connection that became a WebSocket, and is dropped
 * (#17, idle heap per connection): its per-stream pipeline builder, kept in a channel attribute for
 * HTTP requests (with the per-channel customizers it holds, about 130 bytes). The attribute's key
 * is Micronaut's own ({@code HttpPipelineBuilder.STREAM_PIPELINE_ATTRIBUTE}, not public), read once
 * by reflection; where a Micronaut version no longer has it, nothing is dropped and the connection
 * behaves the same, only with those bytes kept. Call on the channel's event loop.
 */
final class HttpLeftovers {

  private static final Logger LOG = LoggerFactory.getLogger(HttpLeftovers.class);
  private static final AttributeKey<Object> STREAM_PIPELINE = streamPipelineKey();

  private HttpLeftovers() {}

  /**
   * Drops the HTTP-only state Micronaut keeps on {@code channel}, once it is a WebSocket, and the
   * attribute {@code ours} the upgrade itself used. Removing (not only clearing) an attribute frees
   * its holder too; Netty deprecates removal only because another thread may still hold the
   * attribute, and these two are read on the event loop alone.
   */
  @SuppressWarnings("deprecation")
  static void drop(Channel channel, AttributeKey<?> ours) {
    if (STREAM_PIPELINE != null) {
      channel.attr(STREAM_PIPELINE).getAndRemove();
    }
    channel.attr(ours).getAndRemove();
  }

  /**
   * True when {@code channel} holds Micronaut's per-stream HTTP state; false as well where this
   * Micronaut's attribute was not found (see {@link #knowsMicronautsAttribute}).
   */
  static boolean holdsHttpState(Channel channel) {
    return STREAM_PIPELINE != null && channel.hasAttr(STREAM_PIPELINE);
  }

  /** True when this Micronaut's stream-pipeline attribute was found (tests check it still is). */
  static boolean knowsMicronautsAttribute() {
    return STREAM_PIPELINE != null;
  }

  @SuppressWarnings("unchecked")
  private static AttributeKey<Object> streamPipelineKey() {
    try {
      Field field =
          Class.forName("io.micronaut.http.server.netty.HttpPipelineBuilder")
              .getDeclaredField("STREAM_PIPELINE_ATTRIBUTE");
      field.setAccessible(true);
      return ((Supplier<AttributeKey<Object>>) field.get(null)).get();
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("Micronaut's stream-pipeline attribute not found; it stays on WebSockets", e);
      return null;
    }
  }
}
