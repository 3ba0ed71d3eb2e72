package dev.relay.engine.presence;

/**
 * What one join or leave changed (SPEC §11 lifecycle): nothing, a user's presence, or also the
 * room's occupancy — its first present user arrived ({@code room.occupied}) or its last one went
 * ({@code room.vacated}). Reported once, cluster-wide, like the user's presence.
 */
public enum PresenceChange {
  NONE,
  MEMBER,
  MEMBER_AND_ROOM;

  /** Whether the user became present (join) or absent (leave). */
  public boolean member() {
    return this != NONE;
  }

  /** Whether the room became occupied (join) or vacated (leave). */
  public boolean room() {
    return this == MEMBER_AND_ROOM;
  }

  static PresenceChange of(boolean member, boolean room) {
    return !member ? NONE : room ? MEMBER_AND_ROOM : MEMBER;
  }
}
