package dev.relay.service.intake;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * SPEC §10 body limits, enforced before Micronaut buffers a body. Sits right in front of
 * Micronaut's request handler, so requests the gateway's own handlers take (WebSocket upgrades,
 * Engine.IO polling) never reach it. For each request it finds the {@link IntakeRule} of its route
 * and:
 *
 * <ul>
 *   <li>answers 401 {@code unauthorized} at once, without reading the body, when the rule needs
 *       credentials and the headers cannot carry valid ones;
 *   <li>answers 413 {@code payload_too_large} at once, without reading the body, when {@code
 *       Content-Length} exceeds the rule's limit;
 *   <li>otherwise passes the request on and counts its body as it arrives: once a body without a
 *       (truthful) length grows past the limit, it answers 413 (or, when an answer was already
 *       started, sends none) and closes the connection.
 * </ul>
 *
 * <p>A refused request never reaches Micronaut. After a refusal the connection only drains: the
 * answer is flushed, the output shut down, whatever the client still sends is discarded for at most
 * {@link LastAnswer#LINGER_MILLIS} (so a client still sending its body reads the answer instead of
 * a reset), then the connection closes. An upload that ends before its body is complete is reported
 * once to {@link ClientFaults}. One instance per connection, confined to its event loop.
 */
final class BodyLimit extends ChannelDuplexHandler {

  static final String NAME = "relay-body-limit";

  private final List<IntakeRoutes> routes;
  private final ClientFaults faults;

  private HttpRequest current;
  private long limit;
  private long received;
  private boolean draining;
  private boolean answered;

  BodyLimit(List<IntakeRoutes> routes, ClientFaults faults) {
    this.routes = routes;
    this.faults = faults;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (draining) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      if (!admit(ctx, request)) {
        ReferenceCountUtil.release(msg);
        return;
      }
    } else if (msg instanceof HttpContent content && current != null) {
      received += content.content().readableBytes();
      if (received > limit) {
        ReferenceCountUtil.release(msg);
        refuse(ctx, Refusal.tooLarge(limit), "payload_too_large", "body grew past " + limit);
        return;
      }
      if (msg instanceof LastHttpContent) {
        current = null;
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** True when the request may go on to Micronaut; otherwise it has been refused. */
  private boolean admit(ChannelHandlerContext ctx, HttpRequest request) {
    answered = false;
    if (request.decoderResult().isFailure()) {
      current = null;
      return true; // Micronaut answers 400 for a request the codec could not parse
    }
    IntakeRule rule = ruleFor(request);
    if (rule.credentials() != null && !rule.credentials().plausible(request.headers())) {
      current = request;
      refuse(ctx, Refusal.unauthorized(), "unauthorized", "no valid credentials in the headers");
      return false;
    }
    long length;
    try {
      length = HttpUtil.getContentLength(request, -1L);
    } catch (NumberFormatException e) {
      length = -1;
    }
    if (length > rule.maxBodyBytes()) {
      current = request;
      refuse(
          ctx,
          Refusal.tooLarge(rule.maxBodyBytes()),
          "payload_too_large",
          "Content-Length " + length + " over " + rule.maxBodyBytes());
      return false;
    }
    current = request;
    limit = rule.maxBodyBytes();
    received = 0;
    if (rule.streamed()) {
      RequestDeadline.exemptBody(ctx.pipeline());
    }
    return true;
  }

  private IntakeRule ruleFor(HttpRequest request) {
    String path = IntakeRoutes.pathOf(request.uri());
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String method = request.method().name();
    for (IntakeRoutes candidate : routes) {
      IntakeRule rule = candidate.ruleFor(method, path);
      if (rule != null) {
        return rule;
      }
    }
    return IntakeRule.DEFAULT;
  }

  private void refuse(ChannelHandlerContext ctx, Refusal refusal, String type, String what) {
    draining = true;
    faults.report(
        ctx.channel(),
        type,
        what,
        current == null ? null : current.method().name(),
        current == null ? null : current.uri());
    current = null;
    ctx.channel().config().setAutoRead(true);
    if (answered) {
      ctx.close();
      return;
    }
    LastAnswer.send(ctx, refusal.response());
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response
        && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
      answered = true; // a 100 Continue is no answer
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (current != null && !draining) {
      faults.report(
          ctx.channel(),
          "aborted_upload",
          "connection closed after " + received + " body bytes",
          current.method().name(),
          current.uri());
      current = null;
    }
    ctx.fireChannelInactive();
  }
}
