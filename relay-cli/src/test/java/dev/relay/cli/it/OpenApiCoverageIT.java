package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.web.router.Router;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every HTTP route a Relay process serves is in an OpenAPI document: {@code docs/openapi.yaml}
 * (publish-api, history, server-side control, ops) or {@code docs/openapi-admin.yaml} (gateway
 * admin, ops). The routes come from the router of {@code ./relay dev}, which serves both services'
 * controllers in one context; a new controller method without its document entry fails here. The
 * only routes left out are listed in {@link #NOT_IN_OPENAPI} with the reason.
 */
class OpenApiCoverageIT {

  /** Routes deliberately outside the OpenAPI documents, and why. */
  private static final Map<String, String> NOT_IN_OPENAPI =
      Map.of(
          "GET /openapi", "dev-only copy of docs/openapi.yaml itself",
          "GET /", "dev-mode landing page (relay-cli demo), not an API");

  /** Routes under this prefix are the dev-mode demo app's (relay-cli), not Relay's API. */
  private static final String DEMO = "/demo";

  private static final Pattern PATH = Pattern.compile("^  (/\\S*):$");
  private static final Pattern METHOD = Pattern.compile("^    (get|post|put|delete|patch):$");

  private static Set<String> documented(Path file) throws IOException {
    Set<String> routes = new TreeSet<>();
    String path = null;
    for (String line : Files.readAllLines(file)) {
      Matcher p = PATH.matcher(line);
      Matcher m = METHOD.matcher(line);
      if (p.matches()) {
        path = p.group(1);
      } else if (m.matches() && path != null) {
        routes.add(m.group(1).toUpperCase(Locale.ROOT) + " " + path);
      }
    }
    return routes;
  }

  @Test
  void everyRouteOfBothServicesIsDocumented() throws IOException {
    Path docs = Path.of("..", "docs");
    Set<String> documented = new TreeSet<>(documented(docs.resolve("openapi.yaml")));
    documented.addAll(documented(docs.resolve("openapi-admin.yaml")));
    Set<String> served = new TreeSet<>();
    try (ApplicationContext dev =
        Services.devMode(
            "relay-dev", Map.of("admin.api.key", "admin-key-admin-key-admin-key-oa01"))) {
      dev.getBean(Router.class)
          .uriRoutes()
          .forEach(
              route ->
                  served.add(
                      route.getHttpMethodName()
                          + " "
                          + route.getUriMatchTemplate().toPathString().replaceAll("(.)/$", "$1")));
    }
    served.removeIf(route -> route.substring(route.indexOf(' ') + 1).startsWith(DEMO));
    // Micronaut answers HEAD for every GET route by itself; the GET is what is documented.
    served.removeIf(route -> route.startsWith("HEAD "));
    Set<String> missing = new TreeSet<>(served);
    missing.removeAll(documented);
    missing.removeAll(NOT_IN_OPENAPI.keySet());
    assertThat(missing)
        .as("served routes missing from docs/openapi*.yaml (all: " + served + ")")
        .isEmpty();
    assertThat(served)
        .contains("GET /healthz", "POST /v1/rooms/{room}/unsubscribe", "GET /admin/cluster/rooms");
  }
}
