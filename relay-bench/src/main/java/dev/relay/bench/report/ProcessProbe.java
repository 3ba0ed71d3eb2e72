package dev.relay.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads another process's resident memory ({@code /proc/<pid>/status} VmRSS) and CPU time ({@code
 * /proc/<pid>/stat} utime + stime), and, for a JVM, its live heap after a full GC via {@code jcmd}.
 * Every read returns -1 when the value is unavailable (no such pid, not Linux, no jcmd): the bench
 * then reports the column as empty rather than failing.
 */
public final class ProcessProbe {

  /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on every Linux this runs on. */
  private static final double CLOCK_TICKS = 100.0;

  private static final Pattern HEAP_USED = Pattern.compile("total\\s+\\d+K,\\s+used\\s+(\\d+)K");

  private final long pid;

  public ProcessProbe(long pid) {
    this.pid = pid;
  }

  public static ProcessProbe self() {
    return new ProcessProbe(ProcessHandle.current().pid());
  }

  public long pid() {
    return pid;
  }

  /** Resident set size in KiB, or -1. */
  public long rssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** User + system CPU time in seconds, or -1. */
  public double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": field 3 (state) is index 0, so utime (14) is 11 and stime (15) is 12
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Live heap in KiB right after a full GC ({@code jcmd <pid> GC.run}, then {@code GC.heap_info}),
   * or -1 when the process is not a JVM reachable by jcmd. Bounded to 30 s.
   */
  public long liveHeapKibAfterGc() {
    if (run(List.of("jcmd", Long.toString(pid), "GC.run")) == null) {
      return -1;
    }
    String info = run(List.of("jcmd", Long.toString(pid), "GC.heap_info"));
    return info == null ? -1 : parseHeapUsedKib(info);
  }

  /** The first {@code used NK} of a {@code GC.heap_info} answer (G1: the whole heap), or -1. */
  static long parseHeapUsedKib(String heapInfo) {
    Matcher m = HEAP_USED.matcher(heapInfo);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroy();
        return null;
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
