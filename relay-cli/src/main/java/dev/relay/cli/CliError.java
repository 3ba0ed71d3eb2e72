package dev.relay.cli;

/**
 * A failure the user can act on, carrying the one line that explains it and the exit code: {@link
 * #USAGE} (2) for input the command refuses (a bad flag, bad JSON, a token the gateway would
 * refuse), {@link #FAILURE} (1) for everything that went wrong outside (server down, a refusal by
 * the server, a busy port). {@link FailureReporter} prints the message alone, without a trace
 * unless {@code --verbose}.
 */
final class CliError extends RuntimeException {

  static final int FAILURE = 1;
  static final int USAGE = 2;

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  private CliError(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Input the command refuses: exit 2. */
  static CliError usage(String message) {
    return new CliError(message, USAGE, null);
  }

  /** Something outside the command failed: exit 1. */
  static CliError failure(String message) {
    return new CliError(message, FAILURE, null);
  }

  /** Something outside the command failed, with the cause shown by {@code --verbose}: exit 1. */
  static CliError failure(String message, Throwable cause) {
    return new CliError(message, FAILURE, cause);
  }

  int exitCode() {
    return exitCode;
  }
}
