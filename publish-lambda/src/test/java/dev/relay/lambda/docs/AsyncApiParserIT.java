package dev.relay.lambda.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.testkit.NpmInstall;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/asyncapi.yaml} passes the official AsyncAPI parser ({@code @asyncapi/parser}, pinned
 * in {@code src/test/node/package-lock.json}, with its default ruleset) without an error or a
 * warning. Only the {@code info} that AsyncAPI 3 exists is tolerated: the document stays 2.6 until
 * both protocols are rewritten for 3.x. Node runs as a child whose stdin and stdout never touch the
 * Failsafe channel (output goes to a file).
 */
class AsyncApiParserIT {

  private static final Path HARNESS = Path.of("src/test/node").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theAsyncApiDocumentHasNoErrorOrWarning(@TempDir Path work) throws Exception {
    List<JsonNode> diagnostics = parse(DocsFiles.root().resolve("docs/asyncapi.yaml"), work);

    assertThat(diagnostics)
        .filteredOn(d -> !d.get("severity").asText().matches("info|hint"))
        .as("errors and warnings of @asyncapi/parser")
        .isEmpty();
  }

  @Test
  void theCheckReportsAWarningWhenThereIsOne(@TempDir Path work) throws Exception {
    String document = Files.readString(DocsFiles.root().resolve("docs/asyncapi.yaml"));
    Path broken = work.resolve("no-id.yaml");
    Files.writeString(broken, document.replaceFirst("(?m)^id: .*\\n", ""));

    assertThat(parse(broken, work))
        .extracting(d -> d.get("severity").asText() + " " + d.get("code").asText())
        .contains("warning asyncapi-id");
  }

  /** The parser's diagnostics for {@code document}, one JSON object each. */
  private static List<JsonNode> parse(Path document, Path work) throws Exception {
    NpmInstall.ensure(HARNESS, "@asyncapi/parser", Map.of("SCARF_ANALYTICS", "false"));
    Path out = work.resolve("asyncapi-check.out");
    Process node =
        new ProcessBuilder("node", "check-asyncapi.js", document.toString())
            .directory(HARNESS.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!node.waitFor(120, TimeUnit.SECONDS)) {
      node.destroyForcibly();
      throw new IllegalStateException("the AsyncAPI parser did not finish within 120 s");
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(node.exitValue()).as("node check-asyncapi.js:\n" + output).isZero();
    List<JsonNode> diagnostics = new ArrayList<>();
    boolean done = false;
    for (String line : output.lines().toList()) {
      if (line.startsWith("{")) {
        JsonNode json = readLine(line);
        if (json.has("done")) {
          done = true;
        } else {
          diagnostics.add(json);
        }
      }
    }
    assertThat(done).as("the parser ran to the end:\n" + output).isTrue();
    return diagnostics;
  }

  private static JsonNode readLine(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new IllegalStateException("not a JSON line: " + line, e);
    }
  }
}
