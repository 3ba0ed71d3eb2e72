package dev.relay.service.intake;

import io.netty.channel.ChannelHandler;

/**
 * A service's own handler for requests it takes away from Micronaut (a streamed body that must be
 * read as it arrives, a hot route answered without Micronaut's per-request pipeline), placed in
 * every HTTP/1.1 connection right after {@link BodyLimit}: it sees only requests that passed the
 * credential and size checks of their {@link IntakeRule}, and their body is still cut at the rule's
 * limit. Requests it does not take must be passed on unchanged.
 */
public interface IntakeStage {

  /** The pipeline name of the handler; unique per process. */
  String name();

  /** A new handler for one connection. */
  ChannelHandler newHandler();
}
