package dev.relay.lambda.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.service.config.EnvConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} against the code, both ways: every environment variable and every
 * Micronaut property the product reads is in the reference, and every variable and property in the
 * reference is read somewhere. The scan covers every module's {@code src/main} (Java, resources)
 * and the {@code relay} launcher; {@code testkit} is test support and not scanned. A variable is
 * found however it is read: {@link EnvConfig} methods, {@code System.getenv}, the CLI's helpers,
 * {@code ${NAME:-default}} in logback and scripts, or any string literal that is exactly a {@code
 * RELAY_*}, {@code REDIS_*}, {@code JWT_*} or {@code ADMIN_*} name.
 */
class ConfigurationReferenceTest {

  private static final Path ROOT = DocsFiles.root();

  @Test
  void everyVariableReadInCodeIsDocumentedAndViceVersa() throws IOException {
    Set<String> inCode = CodeScan.variables(ROOT);
    Set<String> documented = ReferenceTable.variables(ROOT);

    assertThat(difference(inCode, documented))
        .as("read by the code but missing from docs/configuration.md's variable table")
        .isEmpty();
    assertThat(difference(documented, inCode))
        .as("in docs/configuration.md's variable table but read nowhere in src/main")
        .isEmpty();
  }

  @Test
  void specifiedButUnimplementedVariablesAreNotReadYet() throws IOException {
    Set<String> inCode = CodeScan.variables(ROOT);
    assertThat(ReferenceTable.planned(ROOT))
        .as("now read by the code: move these rows to the main variable table")
        .doesNotContainAnyElementsOf(inCode);
  }

  @Test
  void everyPropertyReadInCodeIsDocumentedAndViceVersa() throws IOException {
    Set<String> mirrors =
        CodeScan.variables(ROOT).stream()
            .map(EnvConfig::propertyName)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> inCode = difference(CodeScan.properties(ROOT), mirrors);
    Set<String> documented = ReferenceTable.properties(ROOT);

    assertThat(difference(inCode, documented))
        .as("property read by the code but missing from docs/configuration.md's property table")
        .isEmpty();
    assertThat(difference(documented, inCode))
        .as("in docs/configuration.md's property table but read nowhere in src/main")
        .isEmpty();
  }

  @Test
  void propertyColumnIsTheMicronautNameOfEachVariable() throws IOException {
    for (Map.Entry<String, String> row : ReferenceTable.propertyColumn(ROOT).entrySet()) {
      if (!row.getValue().equals("—")) {
        assertThat(row.getValue())
            .as("property of " + row.getKey())
            .isEqualTo(EnvConfig.propertyName(row.getKey()));
      }
    }
  }

  @Test
  void theScanFindsVariablesReadInEachWay() throws IOException {
    Set<String> inCode = CodeScan.variables(ROOT);
    assertThat(inCode)
        .as("EnvConfig, System.getenv, ServiceMain's env lookup, logback, launcher script")
        .contains(
            "RELAY_API_KEY",
            "RELAY_INSTANCE_ID",
            "PORT",
            "RELAY_LOG_LEVEL",
            "JAVA_OPTS",
            "HOSTNAME");
    List<String> rows = List.copyOf(ReferenceTable.variables(ROOT));
    assertThat(rows).doesNotHaveDuplicates();
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    return Stream.of(a)
        .flatMap(Set::stream)
        .filter(x -> !b.contains(x))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Reads the tables of {@code docs/configuration.md}. */
  static final class ReferenceTable {

    private ReferenceTable() {}

    static Set<String> variables(Path root) throws IOException {
      return firstColumn(section(root, "## Environment variables"), "`[A-Z][A-Z0-9_]*`");
    }

    static Set<String> planned(Path root) throws IOException {
      return firstColumn(section(root, "## Specified, not yet read"), "`[A-Z][A-Z0-9_]*`");
    }

    static Set<String> properties(Path root) throws IOException {
      return firstColumn(section(root, "## Micronaut properties"), "`[a-z][a-zA-Z0-9.-]*`");
    }

    /** Variable → second column (its property, or an em dash when it has none). */
    static Map<String, String> propertyColumn(Path root) throws IOException {
      return section(root, "## Environment variables").stream()
          .map(ReferenceTable::cells)
          .filter(c -> c.size() > 1 && c.get(0).matches("`[A-Z][A-Z0-9_]*`"))
          .collect(
              Collectors.toMap(c -> c.get(0).replace("`", ""), c -> c.get(1).replace("`", "")));
    }

    private static Set<String> firstColumn(List<String> lines, String pattern) {
      return lines.stream()
          .map(ReferenceTable::cells)
          .filter(c -> !c.isEmpty() && c.get(0).matches(pattern))
          .map(c -> c.get(0).replace("`", ""))
          .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> cells(String line) {
      String t = line.strip();
      if (!t.startsWith("|")) {
        return List.of();
      }
      return Stream.of(t.substring(1).split("\\|")).map(String::strip).toList();
    }

    /** The lines under {@code heading} up to the next {@code ## } heading. */
    private static List<String> section(Path root, String heading) throws IOException {
      List<String> lines = Files.readAllLines(root.resolve("docs/configuration.md"));
      int start = lines.indexOf(heading);
      assertThat(start).as("docs/configuration.md has the heading " + heading).isNotNegative();
      int end = start + 1;
      while (end < lines.size() && !lines.get(end).startsWith("## ")) {
        end++;
      }
      return lines.subList(start + 1, end);
    }
  }
}
