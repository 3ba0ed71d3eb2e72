package dev.relay.service.intake;

/**
 * The routes of one service that need more (or other) than {@link IntakeRule#DEFAULT}. Every bean
 * of this type is asked, in no particular order; the first rule found wins, so two services in one
 * process (dev mode) must not both claim a route.
 */
public interface IntakeRoutes {

  /**
   * The rule for a request, or null when this service has no rule for it.
   *
   * @param method the request method, upper case
   * @param path the request path without query string and without a trailing slash
   */
  IntakeRule ruleFor(String method, String path);

  /** The path of a request URI: everything before its query string (the one rule for it). */
  static String pathOf(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }
}
