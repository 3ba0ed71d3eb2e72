package dev.relay.cli;

import dev.relay.service.ServiceMain;
import dev.relay.service.config.ConfigException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure of every command into exactly one line on stderr ({@code relay <command>:
 * <what went wrong>}) and a non-zero exit code (SPEC §1): 2 for a bad flag, bad input or a bad
 * configuration variable, 1 for anything else. With {@code --verbose} anywhere on the command line
 * the stack trace follows the line. Nothing here ever rethrows, so no trace reaches the terminal
 * otherwise.
 */
final class FailureReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

  private final boolean verbose;

  FailureReporter(boolean verbose) {
    this.verbose = verbose;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    report(cmd, e.getMessage() + " (see " + cmd.getCommandSpec().qualifiedName() + " --help)", e);
    return CliError.USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    if (e instanceof CliError error) {
      report(cmd, error.getMessage(), error);
      return error.exitCode();
    }
    Optional<ConfigException> config = ServiceMain.configCause(e);
    if (config.isPresent()) {
      report(cmd, config.get().getMessage(), e);
      return CliError.USAGE;
    }
    report(cmd, describe(e), e);
    return CliError.FAILURE;
  }

  /** One line for a failure no command translated itself. */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      if (root instanceof ConnectException || root instanceof HttpTimeoutException) {
        break;
      }
      root = root.getCause();
    }
    if (root instanceof ConnectException) {
      return "cannot connect (is Relay running?)";
    }
    String message = root.getMessage() == null ? "" : ": " + root.getMessage();
    return (root.getClass().getSimpleName() + message).replaceAll("\\s+", " ");
  }

  private void report(CommandLine cmd, String message, Throwable e) {
    PrintWriter err = cmd.getErr();
    err.println(cmd.getCommandSpec().qualifiedName() + ": " + oneLine(message));
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
  }

  private static String oneLine(String message) {
    return message == null ? "failed" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
