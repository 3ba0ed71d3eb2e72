package dev.relay.engine.session;

import java.util.List;
import java.util.Objects;

/** A recoverable Socket.IO session: the token's {@code sub} and the rooms it had joined. */
public record SavedSession(String sub, List<String> rooms) {

  public SavedSession {
    Objects.requireNonNull(sub, "sub");
    rooms = List.copyOf(rooms);
    for (String room : rooms) {
      if (room.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("room names cannot contain a line break");
      }
    }
  }

  /**
   * One string: {@code <length of sub>:<sub>} then each room after a line break. The length prefix
   * lets {@code sub} hold any character.
   */
  String encode() {
    StringBuilder out = new StringBuilder().append(sub.length()).append(':').append(sub);
    for (String room : rooms) {
      out.append('\n').append(room);
    }
    return out.toString();
  }

  /** The inverse of {@link #encode()}. */
  static SavedSession decode(String value) {
    int colon = value.indexOf(':');
    int end = colon + 1 + Integer.parseInt(value.substring(0, colon));
    String sub = value.substring(colon + 1, end);
    List<String> rooms =
        end >= value.length() ? List.of() : List.of(value.substring(end + 1).split("\n", -1));
    return new SavedSession(sub, rooms);
  }
}
