package dev.relay.service.intake;

import dev.relay.service.config.EnvConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Puts the intake handlers into every HTTP/1.1 connection of Micronaut's server (both services, and
 * both at once in dev mode): {@link RequestDeadline} in front of the HTTP codec and {@link
 * BodyLimit} right in front of Micronaut's request handler, followed by every {@link IntakeStage}.
 * {@code RELAY_REQUEST_TIMEOUT} is read when the server starts, so a bad value stops start-up.
 */
@Singleton
// The Lambda handler has no Netty server: without this the bean's definition fails to load there.
@Requires(classes = NettyServerCustomizer.class)
public class IntakePipeline implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

  private final Provider<EnvConfig> config;
  private final Provider<MeterRegistry> meters;
  private final BeanProvider<IntakeRoutes> routes;
  private final BeanProvider<IntakeStage> stages;

  public IntakePipeline(
      Provider<EnvConfig> config,
      Provider<MeterRegistry> meters,
      BeanProvider<IntakeRoutes> routes,
      BeanProvider<IntakeStage> stages) {
    this.config = config;
    this.meters = meters;
    this.routes = routes;
    this.stages = stages;
  }

  @Override
  public NettyServerCustomizer.Registry onCreated(
      BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
    IntakeSettings settings = IntakeSettings.from(config.get());
    ClientFaults faults = new ClientFaults(meters.get());
    List<IntakeRoutes> known = routes.stream().toList();
    List<IntakeStage> extra = stages.stream().toList();
    event.getBean().register(new Customizer(null, settings, faults, known, extra));
    return event.getBean();
  }

  private record Customizer(
      Channel channel,
      IntakeSettings settings,
      ClientFaults faults,
      List<IntakeRoutes> routes,
      List<IntakeStage> stages)
      implements NettyServerCustomizer {

    @Override
    public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
      return role == ChannelRole.CONNECTION
          ? new Customizer(channel, settings, faults, routes, stages)
          : this;
    }

    @Override
    public void onStreamPipelineBuilt() {
      if (channel == null) {
        return;
      }
      ChannelPipeline pipeline = channel.pipeline();
      if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) == null
          || pipeline.get(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND) == null
          || pipeline.get(BodyLimit.NAME) != null) {
        return;
      }
      pipeline.addBefore(
          ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC,
          RequestDeadline.NAME,
          new RequestDeadline(settings.requestTimeout(), faults));
      pipeline.addBefore(
          ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND,
          BodyLimit.NAME,
          new BodyLimit(routes, faults));
      String previous = BodyLimit.NAME;
      for (IntakeStage stage : stages) {
        pipeline.addAfter(previous, stage.name(), stage.newHandler());
        previous = stage.name();
      }
    }
  }
}
