package dev.relay.gateway.transport;

import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One plain HTTP request with its body already read (bounded), and the way to answer it, for
 * protocols with an HTTP transport (Engine.IO long-polling). Protocol code never sees Netty. The
 * answer may be given later (a long-poll) from any thread; only the first {@link #respond} counts.
 */
public interface HttpExchange {

  /** The client's IP (the peer, or the forwarded address behind a trusted proxy). */
  String clientIp();

  /** {@code GET}, {@code POST}, {@code OPTIONS}, … */
  String method();

  /** The first value of a query parameter, or null. */
  String query(String name);

  /** A request header, or null. */
  String header(String name);

  /** The request body decoded as UTF-8 ({@code ""} when there is none). */
  String body();

  /** The event loop of the request's connection; also a scheduler. */
  ScheduledExecutorService executor();

  /** Answers the request; later calls are ignored. */
  void respond(int status, Map<String, String> headers, String body);

  /** False once the request was answered or its connection closed. */
  boolean isOpen();

  /** Runs {@code task} (on {@link #executor()}) if the connection closes before the answer. */
  void onAbort(Runnable task);

  /**
   * Answers 200 with {@code headers} and keeps the response open as a stream (SSE): the returned
   * transport writes each text as it is, within the outbound budget, and its {@link
   * Transport#close} ends the response and the connection. {@code onClosed} runs once, on the
   * executor, when the connection is gone, whichever side ended it. Counts as the answer.
   */
  Transport stream(Map<String, String> headers, Runnable onClosed);
}
