package dev.relay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code ./relay bench --help} explains every option, of the command and its subcommands. */
class BenchCommandTest {

  @Test
  void everyOptionHasADescription() {
    List<String> undocumented = new ArrayList<>();
    collect(new CommandLine(new BenchCommand()).getCommandSpec(), undocumented);
    assertThat(undocumented).isEmpty();
  }

  @Test
  void helpShowsEachDescription() {
    StringWriter out = new StringWriter();
    CommandLine bench = new CommandLine(new BenchCommand());
    bench.setOut(new PrintWriter(out));
    assertThat(bench.execute("--help")).isZero();
    assertThat(out.toString())
        .contains("WebSocket connections to open", "Padding added to each event's payload");
  }

  private static void collect(CommandSpec spec, List<String> undocumented) {
    for (OptionSpec option : spec.options()) {
      if (String.join("", option.description()).isBlank()) {
        undocumented.add(spec.qualifiedName() + " " + option.longestName());
      }
    }
    spec.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), undocumented));
  }
}
