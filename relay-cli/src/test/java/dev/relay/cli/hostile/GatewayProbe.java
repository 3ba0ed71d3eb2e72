package dev.relay.cli.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What an attack costs the gateway process, read from outside as an operator would: memory after a
 * forced full GC, Prometheus counters, and the JSON log lines it printed.
 *
 * <p>Memory is live heap ({@code jvm_memory_used_bytes{area="heap"}} summed over the pools other
 * than Eden, right after {@code jcmd <pid> GC.run}) plus direct memory ({@code
 * jvm_buffer_memory_used_bytes{id="direct"}}). Netty on JDK 17 without {@code
 * -Dio.netty.tryReflectionSetAccessible=true} cannot use its cleaner-free allocation, so every
 * direct buffer it allocates (pooled chunks and unpooled buffers) goes through {@code
 * ByteBuffer.allocateDirect} and is counted by the JDK's "direct" buffer pool; the issue's {@code
 * OutOfMemoryError: Cannot reserve … direct buffer memory} comes from that same JDK counter. It is
 * the gateway's direct footprint; of Netty's pool (a shared reserve that grows in whole chunks, and
 * keeps them for reuse) only the bytes of buffers in use are counted, read from the gateway's
 * {@code relay_netty_direct_active_bytes} and {@code relay_netty_direct_pool_bytes}.
 */
final class GatewayProbe {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Live heap and direct memory, in bytes. */
  record Memory(long heap, long direct) {

    long total() {
      return heap + direct;
    }

    /** Growth from {@code before} to this sample, in bytes (negative when memory was freed). */
    long growthSince(Memory before) {
      return total() - before.total();
    }

    @Override
    public String toString() {
      return "heap " + heap / 1024 + " KiB + direct " + direct / 1024 + " KiB";
    }
  }

  private final HostileStack stack;

  GatewayProbe(HostileStack stack) {
    this.stack = stack;
  }

  /** Forces a full GC in the gateway process, then reads heap and direct memory. */
  Memory memoryAfterGc() {
    jcmd("GC.run");
    String metrics = metrics();
    long heap = 0;
    for (String line : metrics.split("\n")) {
      // right after a full GC every live object is in the old and survivor pools; Eden holds only
      // what was allocated since, such as this scrape itself
      if (line.startsWith("jvm_memory_used_bytes{")
          && line.contains("area=\"heap\"")
          && !line.contains("Eden")) {
        heap += (long) value(line);
      }
    }
    long direct = (long) sample(metrics, "jvm_buffer_memory_used_bytes", "id=\"direct\"");
    double pool = sample(metrics, "relay_netty_direct_pool_bytes", null);
    double active = sample(metrics, "relay_netty_direct_active_bytes", null);
    if (pool >= 0 && active >= 0) {
      // Netty's pool keeps released chunks for reuse by every connection: count what its
      // buffers hold now, not the reserve (which grows in whole chunks, whoever asked first).
      direct = direct - (long) pool + (long) active;
    }
    return new Memory(heap, direct);
  }

  /** The gateway's {@code GET /metrics}. */
  String metrics() {
    HttpResponse<String> answer = stack.getGateway("/metrics");
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("/metrics answered " + answer.statusCode());
    }
    return answer.body();
  }

  /** {@code relay_errors_total{type="<type>"}}, 0 when absent. */
  double errors(String type) {
    double value = sample(metrics(), "relay_errors_total", "type=\"" + type + "\"");
    return Math.max(0, value);
  }

  /** The number of lines the gateway has printed so far; pass it to {@link #logSince}. */
  int logMark() {
    return readLog().size();
  }

  /** The JSON log lines the gateway printed after {@code mark}, parsed. */
  List<JsonNode> logSince(int mark) {
    List<String> lines = readLog();
    List<JsonNode> parsed = new ArrayList<>();
    for (String line : lines.subList(Math.min(mark, lines.size()), lines.size())) {
      try {
        parsed.add(JSON.readTree(line));
      } catch (IOException e) {
        // a line that is not JSON is kept as text, so a stray stack trace line still counts
        parsed.add(JSON.getNodeFactory().textNode(line));
      }
    }
    return parsed;
  }

  private List<String> readLog() {
    try {
      return Files.readAllLines(stack.gatewayLog(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void jcmd(String command) {
    String jcmd =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "jcmd";
    try {
      Process process =
          new ProcessBuilder(jcmd, Long.toString(stack.gatewayProcess().pid()), command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("jcmd " + command + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The sum of the samples of {@code name} whose labels contain {@code label}; -1 if none. */
  /** The sum of {@code name}'s samples whose labels contain {@code label} (any when null). */
  private static double sample(String metrics, String name, String label) {
    double sum = -1;
    for (String line : metrics.split("\n")) {
      boolean named = line.startsWith(name + "{") || line.startsWith(name + " ");
      if (named && (label == null || line.contains(label))) {
        sum = Math.max(sum, 0) + value(line);
      }
    }
    return sum;
  }

  private static double value(String line) {
    int labels = line.lastIndexOf('}');
    String rest = labels >= 0 ? line.substring(labels + 1) : line.substring(line.indexOf(' '));
    return Double.parseDouble(rest.strip().split(" ")[0]);
  }
}
