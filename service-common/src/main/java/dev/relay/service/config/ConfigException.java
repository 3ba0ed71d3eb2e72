package dev.relay.service.config;

/**
 * A configuration value is missing or unacceptable. The message is one line that names the
 * environment variable and says how to fix it; it never contains a secret. {@link
 * dev.relay.service.ServiceMain} prints it alone, without a stack trace, and exits with code 1.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
