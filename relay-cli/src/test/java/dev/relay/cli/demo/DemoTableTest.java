package dev.relay.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DemoTableTest {

  private final DemoTable table = new DemoTable();

  private static DemoTable.Vote vote(String id, String value) {
    return new DemoTable.Vote(id, "name of " + id, value);
  }

  @Test
  void theRevealListsEveryVoteOnceInCastOrderWithTheLastValue() {
    table.vote("s", "DEMO-1", vote("a", "5"));
    table.vote("s", "DEMO-1", vote("b", "8"));
    table.vote("s", "DEMO-1", vote("a", "3"));

    assertThat(table.reveal("s", "DEMO-1")).containsExactly(vote("a", "3"), vote("b", "8"));
  }

  @Test
  void afterTheRevealVotesAreRefusedUntilTheNextIssueWhichStartsEmpty() {
    table.vote("s", "DEMO-1", vote("a", "5"));
    table.reveal("s", "DEMO-1");

    assertThatThrownBy(() -> table.vote("s", "DEMO-1", vote("b", "8")))
        .isInstanceOf(DemoTable.Refused.class)
        .hasMessageContaining("revealed");
    assertThat(table.advance("s", "DEMO-1")).isEqualTo("DEMO-2");
    assertThat(table.currentIssue("s")).isEqualTo("DEMO-2");
    table.vote("s", "DEMO-2", vote("b", "8"));
    assertThat(table.reveal("s", "DEMO-2")).containsExactly(vote("b", "8"));
  }

  @Test
  void anActionOnAnIssueThatIsNoLongerCurrentIsRefused() {
    table.advance("s", "DEMO-1");

    for (Runnable stale :
        new Runnable[] {
          () -> table.vote("s", "DEMO-1", vote("a", "5")),
          () -> table.reveal("s", "DEMO-1"),
          () -> table.advance("s", "DEMO-1")
        }) {
      assertThatThrownBy(stale::run)
          .isInstanceOf(DemoTable.Refused.class)
          .hasMessage("DEMO-1 is not being estimated any more (now DEMO-2)");
    }
  }

  @Test
  void aRoundHoldsAtMostMaxVotersButAVoterMayChangeTheirVote() {
    for (int i = 0; i < DemoTable.MAX_VOTERS; i++) {
      table.vote("s", "DEMO-1", vote("p" + i, "1"));
    }
    assertThatThrownBy(() -> table.vote("s", "DEMO-1", vote("late", "1")))
        .isInstanceOf(DemoTable.Refused.class);
    table.vote("s", "DEMO-1", vote("p0", "13"));
    assertThat(table.reveal("s", "DEMO-1"))
        .hasSize(DemoTable.MAX_VOTERS)
        .contains(vote("p0", "13"));
  }

  @Test
  void theTableForgetsTheLeastRecentlyUsedSessionPastMaxSessions() {
    table.advance("first", "DEMO-1");
    for (int i = 0; i < DemoTable.MAX_SESSIONS; i++) {
      table.advance("s" + i, "DEMO-1");
    }
    assertThat(table.currentIssue("first")).isEqualTo(DemoTable.FIRST_ISSUE);
    assertThat(table.currentIssue("s0")).isEqualTo("DEMO-2");
  }
}
