package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code ./relay dev} and drives a real browser through its demo pages (see {@link
 * PageScript}).
 *
 * <p>Planning Poker ({@code src/test/browser/demo-test.mjs}): the live-feed page (the JS client
 * {@code @relay-realtime/client} on the JSON protocol) connects; Alice and Bob join the Planning
 * Poker demo (Socket.IO) and vote, and neither they nor the feed receive a value before Bob
 * reveals; Carol joins after the reveal and sees the revealed round (history on subscribe) with the
 * voted marks (presence info and state), reloads and is still Carol; Alice advances and every page
 * starts the next issue. A screenshot of Carol's page lands in {@code target/demo.png}, or where
 * {@code -Ddemo.screenshot} says ({@code -Ddemo.screenshot=../docs/images/demo.png} renews the
 * README's).
 *
 * <p>AI coach ({@code coach-test.mjs}): a reply streamed through {@code POST /v1/events:stream};
 * the page reloaded mid-answer shows the partial text at once ({@code message.snapshot}) and ends
 * with exactly the final text ({@code target/coach.png}).
 */
class DemoBrowserIT {

  @Test
  void threePlayersVoteHiddenRevealAndALateJoinerSeesTheRoundAndKeepsTheirNameOnReload()
      throws Exception {
    Path screenshot =
        Path.of(System.getProperty("demo.screenshot", "target/demo.png")).toAbsolutePath();
    Files.deleteIfExists(screenshot);
    try (DevServer dev = DevServer.start()) {
      PageScript.run("demo-test.mjs", dev.url(), screenshot.toString());
    }
    assertThat(Files.size(screenshot)).isGreaterThan(1000);
  }

  @Test
  void aCoachReplyReloadedMidAnswerShowsThePartialTextAtOnceAndEndsExact() throws Exception {
    Path screenshot = Path.of("target/coach.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    try (DevServer dev = DevServer.start()) {
      String log = PageScript.run("coach-test.mjs", dev.url(), screenshot.toString());
      assertThat(log).contains("coach: all steps passed");
    }
  }
}
