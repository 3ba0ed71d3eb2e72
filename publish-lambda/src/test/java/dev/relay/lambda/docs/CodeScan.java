package dev.relay.lambda.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the environment variables and Micronaut properties that the product's own code reads, by
 * scanning text: every module's {@code src/main} (except {@code testkit}, which is test support)
 * and the {@code relay} launcher. Deliberately generous: a false positive shows up as an
 * undocumented name in the reference test and is then either documented or the code is changed to
 * read it another way.
 */
final class CodeScan {

  private static final String ENV = "([A-Z][A-Z0-9_]*)";
  private static final String PROPERTY = "([a-z][a-z0-9-]*\\.[a-zA-Z0-9.-]+)";

  /** Java: the argument of a call that looks a variable up by name. */
  private static final Pattern JAVA_ENV_CALL =
      Pattern.compile(
          "\\b(?:getenv|getOrDefault|env|get|required|integer|flag|duration|secrets|apply)"
              + "\\(\\s*\""
              + ENV
              + "\"");

  /** Java: any literal that is exactly a Relay-owned variable name (constants, maps). */
  private static final Pattern JAVA_ENV_LITERAL =
      Pattern.compile("\"((?:RELAY|REDIS|JWT|ADMIN)_[A-Z0-9_]+)\"");

  /**
   * Resources and scripts: {@code ${NAME:-default}}, {@code ${NAME:default}}, {@code ${NAME}}, and
   * the shell's {@code ${NAME-default}} (default only when unset).
   */
  private static final Pattern TEXT_ENV = Pattern.compile("\\$\\{" + ENV + "(?::-?[^}]*|-[^}]*)?}");

  private static final Pattern JAVA_PROPERTY =
      Pattern.compile(
          "(?:property\\s*=\\s*\"|\\$\\{|(?:put|putIfAbsent|getProperty|Map\\.of)\\(\\s*\")"
              + PROPERTY);

  private static final Pattern TEXT_PROPERTY = Pattern.compile("\\$\\{" + PROPERTY + "[:}]");

  /** Names the patterns catch that are not environment variables (Engine.IO's query parameter). */
  private static final Set<String> NOT_VARIABLES = Set.of("EIO");

  private CodeScan() {}

  static Set<String> variables(Path root) throws IOException {
    Set<String> found = new TreeSet<>();
    for (Path file : mainSources(root)) {
      String text = Files.readString(file);
      if (file.toString().endsWith(".java")) {
        collect(JAVA_ENV_CALL, text, found);
        collect(JAVA_ENV_LITERAL, text, found);
      } else {
        collect(TEXT_ENV, text, found);
      }
    }
    collect(TEXT_ENV, Files.readString(root.resolve("relay")), found);
    found.removeAll(NOT_VARIABLES);
    return found;
  }

  static Set<String> properties(Path root) throws IOException {
    Set<String> found = new TreeSet<>();
    for (Path file : mainSources(root)) {
      String text = Files.readString(file);
      collect(file.toString().endsWith(".java") ? JAVA_PROPERTY : TEXT_PROPERTY, text, found);
    }
    // Asset names in maps (the demo's "index.html") look like dotted property names.
    found.removeIf(name -> name.matches(".*\\.(html|js|css|png|svg|ico)"));
    return found;
  }

  private static void collect(Pattern pattern, String text, Set<String> into) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      into.add(m.group(1));
    }
  }

  /** Java files and configuration resources under every module's {@code src/main}. */
  static List<Path> mainSources(Path root) throws IOException {
    try (Stream<Path> modules = Files.list(root)) {
      return modules
          .filter(m -> Files.isRegularFile(m.resolve("pom.xml")))
          .filter(m -> !m.getFileName().toString().equals("testkit"))
          .map(m -> m.resolve("src/main"))
          .filter(Files::isDirectory)
          .flatMap(CodeScan::walk)
          .filter(CodeScan::scanned)
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static boolean scanned(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".java")
        || name.endsWith(".xml")
        || name.endsWith(".yml")
        || name.endsWith(".yaml")
        || name.endsWith(".properties");
  }

  private static Stream<Path> walk(Path dir) {
    try {
      return Files.walk(dir).filter(Files::isRegularFile).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
