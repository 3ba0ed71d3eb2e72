package dev.relay.cli;

import dev.relay.contracts.RoomName;
import picocli.CommandLine.Option;

/** {@code --session S} or {@code --room R}: the room a command is about. */
final class Target {

  @Option(names = "--session", description = "Session id: the room session:<id>.")
  String session;

  @Option(names = "--room", description = "Any room name, kind:id (e.g. team:42).")
  String room;

  /** The room, validated; throws with a message for the user. */
  String room() {
    if ((session == null) == (room == null)) {
      throw new IllegalArgumentException("give exactly one of --session or --room");
    }
    String name = session != null ? "session:" + session : room;
    if (!RoomName.isValid(name)) {
      throw new IllegalArgumentException("not a valid room name: " + name);
    }
    return name;
  }
}
