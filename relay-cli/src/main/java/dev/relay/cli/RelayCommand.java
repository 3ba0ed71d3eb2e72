package dev.relay.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./relay}: the one front door for running Relay and talking to it. */
@Command(
    name = "relay",
    mixinStandardHelpOptions = true,
    versionProvider = RelayCommand.Version.class,
    description =
        "Realtime relay: backends publish JSON events over HTTPS, browsers receive them over WebSocket.",
    subcommands = {
      DevCommand.class,
      ServiceCommands.PublishApi.class,
      ServiceCommands.Gateway.class,
      TokenCommand.class,
      PublishCommand.class,
      TailCommand.class,
      dev.relay.bench.BenchCommand.class
    })
public final class RelayCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    if (ServiceCommands.runDirectly(args)) {
      return;
    }
    int code = new CommandLine(new RelayCommand()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = RelayCommand.class.getPackage().getImplementationVersion();
      return new String[] {"relay " + (version == null ? "dev" : version)};
    }
  }
}
