package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The admin dashboard as an operator's tool, in a real browser ({@code
 * src/test/browser/admin-test.mjs}, see {@link PageScript}) against {@code ./relay dev} and four
 * Planning Poker players on the stock socket.io-client: the room among every gateway's rooms with
 * its member count, its members with {@code info} and {@code state}, its last events; removing a
 * user from the room (Cancel first: nothing happens), disconnecting a user, revoking a connection's
 * token and closing a connection, each after its confirm step and seen on the player's own page; a
 * refused action shows the problem's detail, code and field. A screenshot of the open room lands in
 * {@code target/admin.png}, or where {@code -Dadmin.screenshot} says ({@code
 * -Dadmin.screenshot=../docs/images/admin.png} renews the one in docs/observability.md).
 */
class AdminDashboardBrowserIT {

  @Test
  void anOperatorSeesRoomsMembersAndEventsAndEachConfirmedActionReachesThePlayer()
      throws Exception {
    Path screenshot =
        Path.of(System.getProperty("admin.screenshot", "target/admin.png")).toAbsolutePath();
    Files.deleteIfExists(screenshot);
    try (DevServer dev = DevServer.start()) {
      PageScript.run("admin-test.mjs", dev.url(), dev.apiKey(), screenshot.toString());
    }
    assertThat(Files.size(screenshot)).isGreaterThan(1000);
  }
}
