package dev.relay.cli;

import picocli.CommandLine.Option;

/** {@code --session S} or {@code --room R}, exactly one: the room a command is about. */
final class Target {

  @Option(names = "--session", description = "Session id: the room session:<id>.")
  String session;

  @Option(names = "--room", description = "Any room name, kind:id (e.g. team:42).")
  String room;

  /** The room, validated; a usage error (exit 2) when both, neither or a bad name is given. */
  String room() {
    if (session != null && room != null) {
      throw CliError.usage("give --session or --room, not both");
    }
    if (session == null && room == null) {
      throw CliError.usage("give --session S or --room R");
    }
    if (session != null) {
      TokenRules.checkRoom("--session", "session:" + session);
      return "session:" + session;
    }
    TokenRules.checkRoom("--room", room);
    return room;
  }
}
