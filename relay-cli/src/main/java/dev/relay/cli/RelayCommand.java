package dev.relay.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code ./relay}: the one front door for running Relay and talking to it. Every failure is one
 * line on stderr and a non-zero exit ({@link FailureReporter}); bare {@code ./relay} prints the
 * usage and exits 2.
 */
@Command(
    name = "relay",
    mixinStandardHelpOptions = true,
    versionProvider = RelayCommand.Version.class,
    description =
        "Realtime relay: backends publish JSON events over HTTPS, browsers receive them over WebSocket.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:failure (server down or refusing, port in use, ...)",
      "2:bad usage or input (bad flag, bad JSON, a token the gateway would refuse)"
    },
    subcommands = {
      DevCommand.class,
      ServiceCommands.PublishApi.class,
      ServiceCommands.Gateway.class,
      TokenCommand.class,
      PublishCommand.class,
      TailCommand.class,
      EnvCommand.class,
      dev.relay.bench.BenchCommand.class
    })
public final class RelayCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "On failure, print the stack trace after the one-line error.")
  boolean verbose;

  public static void main(String[] args) {
    configureBuffers();
    if (ServiceCommands.runDirectly(args)) {
      return;
    }
    int code = commandLine(args).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Buffer settings that keep a slow or hostile client's memory visible and bounded (SPEC §10).
   * Must run before any NIO or Netty use; an explicit {@code -D} of either property wins.
   *
   * <ul>
   *   <li>The JDK copies every heap buffer written to a socket into a temporary direct buffer and,
   *       by default, keeps one of any size per thread: one backlog flushed in a gathering write
   *       would leave megabytes of direct memory behind on that event loop for good. Buffers over
   *       256 KiB are freed after use instead.
   *   <li>Netty's pooled allocator (Netty 4.1's default) rather than 4.2's adaptive one: it reports
   *       the bytes of buffers in use apart from the pool's free capacity, so operators (and the
   *       hostile-client suite) can tell memory held by traffic from memory reserved for reuse
   *       ({@code relay_netty_direct_active_bytes}, {@code relay_netty_direct_pool_bytes}).
   * </ul>
   */
  static void configureBuffers() {
    if (System.getProperty("jdk.nio.maxCachedBufferSize") == null) {
      System.setProperty("jdk.nio.maxCachedBufferSize", Integer.toString(256 * 1024));
    }
    if (System.getProperty("io.netty.allocator.type") == null) {
      System.setProperty("io.netty.allocator.type", "pooled");
    }
  }

  /** The command line with the one-line failure reporting wired in. */
  static CommandLine commandLine(String[] args) {
    FailureReporter reporter = new FailureReporter(Arrays.asList(args).contains("--verbose"));
    dev.relay.bench.DevEnvFile.use(name -> CliConfig.load().get(name));
    return new CommandLine(new RelayCommand())
        .setExecutionExceptionHandler(reporter)
        .setParameterExceptionHandler(reporter);
  }

  /** Bare {@code ./relay}: no command given is a usage error. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw CliError.usage("no command given");
  }

  /** {@code relay <version> (commit <id>)}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"relay " + version() + " (commit " + commit() + ")"};
    }

    /** The Maven project version, from the descriptor Maven packs into the jar. */
    static String version() {
      try (InputStream in =
          RelayCommand.class.getResourceAsStream(
              "/META-INF/maven/dev.relay/relay-cli/pom.properties")) {
        Properties properties = new Properties();
        if (in != null) {
          properties.load(in);
        }
        return properties.getProperty("version", "unknown");
      } catch (IOException e) {
        return "unknown";
      }
    }

    /** {@code RELAY_COMMIT}, else the checkout's {@code HEAD} (the launcher runs from it). */
    static String commit() {
      String fromEnv = System.getenv("RELAY_COMMIT");
      if (fromEnv != null && !fromEnv.isBlank()) {
        return fromEnv.strip();
      }
      String home = System.getenv().getOrDefault("RELAY_HOME", ".");
      try {
        Process git =
            new ProcessBuilder(
                    "git", "-C", Path.of(home).toString(), "rev-parse", "--short", "HEAD")
                .redirectErrorStream(true)
                .start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (git.waitFor(5, TimeUnit.SECONDS) && git.exitValue() == 0) {
          return out.strip();
        }
        git.destroy();
      } catch (IOException e) {
        // no git: unknown
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "unknown";
    }
  }
}
