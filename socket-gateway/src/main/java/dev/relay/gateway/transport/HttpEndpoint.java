package dev.relay.gateway.transport;

/** Handles the plain HTTP requests of one path (e.g. Engine.IO long-polling). */
public interface HttpEndpoint {

  /** Called on the request's event loop once its body is read. */
  void handle(HttpExchange exchange);
}
