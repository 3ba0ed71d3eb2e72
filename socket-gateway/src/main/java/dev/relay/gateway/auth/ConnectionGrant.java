package dev.relay.gateway.auth;

import dev.relay.contracts.RoomName;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What a verified connection token grants: the user ({@code sub}), the rooms joined at connect, the
 * room kinds it may join on request ({@code kind:*}), its scopes and its expiry.
 *
 * @param autoJoin rooms joined at connect: {@code session:<sessionId>} and every explicit room of
 *     the {@code rooms} claim
 * @param wildcardKinds kinds granted with {@code kind:*}, joined only on request
 * @param jti the token id, or null; revoking it closes connections that used it
 * @param info the token's {@code info} claim as compact JSON (an object of at most {@link
 *     dev.relay.contracts.protocol.ClientMessageDecoder#MAX_PRESENCE_DATA} bytes), or null: the
 *     user's presence info (SPEC §11)
 * @param expiresAtMillis the token's expiry ({@link #expiresAt()})
 * @param issuedAtMillis the token's {@code iat} (whole seconds), or {@link #UNKNOWN}: see {@link
 *     #issuedAt()}
 */
public record ConnectionGrant(
    String sub,
    String sessionId,
    Set<String> autoJoin,
    Set<String> wildcardKinds,
    Set<Scope> scopes,
    long expiresAtMillis,
    String jti,
    String info,
    long issuedAtMillis) {

  /** {@link #issuedAtMillis} of a token without {@code iat}. */
  public static final long UNKNOWN = Long.MIN_VALUE;

  /**
   * A grant of a token that expires at {@code expiresAt}, issued at {@code issuedAt} (null when
   * unknown: treated as issued before any removal). The two times are kept as milliseconds, not as
   * two objects per connection (#17, idle heap per connection).
   */
  public ConnectionGrant(
      String sub,
      String sessionId,
      Set<String> autoJoin,
      Set<String> wildcardKinds,
      Set<Scope> scopes,
      Instant expiresAt,
      String jti,
      String info,
      Instant issuedAt) {
    this(
        sub,
        sessionId,
        autoJoin,
        wildcardKinds,
        scopes,
        expiresAt.toEpochMilli(),
        jti,
        info,
        issuedAt == null ? UNKNOWN : issuedAt.toEpochMilli());
  }

  /** When the token expires. */
  public Instant expiresAt() {
    return Instant.ofEpochMilli(expiresAtMillis);
  }

  /**
   * The token's {@code iat} (whole seconds), or null when unknown: a removal from a room (SPEC §11)
   * refuses tokens issued before it.
   */
  public Instant issuedAt() {
    return issuedAtMillis == UNKNOWN ? null : Instant.ofEpochMilli(issuedAtMillis);
  }

  /** One instance per combination of scopes (at most 2^3), shared by all grants. */
  private static final Map<Set<Scope>, Set<Scope>> SHARED_SCOPES = new ConcurrentHashMap<>();

  /**
   * The sub, session id and room names are interned: every connection of a user or session, and
   * every member of a room, shares one copy (#17, idle heap per connection).
   */
  public ConnectionGrant {
    sub = sub == null ? null : sub.intern();
    sessionId = sessionId == null ? null : sessionId.intern();
    autoJoin = autoJoin.stream().map(String::intern).collect(Collectors.toUnmodifiableSet());
    wildcardKinds = Set.copyOf(wildcardKinds);
    scopes = SHARED_SCOPES.computeIfAbsent(Set.copyOf(scopes), same -> same);
  }

  /** True when the token alone lets the connection join {@code room}. */
  public boolean allows(RoomName room) {
    return autoJoin.contains(room.toString()) || wildcardKinds.contains(room.kind());
  }

  public boolean has(Scope scope) {
    return scopes.contains(scope);
  }
}
