package dev.relay.gateway.session;

/** WebSocket close codes the gateway uses (SPEC §5). */
public final class CloseCodes {

  /** Server going away (drain, or this gateway lost its stream position): reconnect, recover. */
  public static final int GOING_AWAY = 1001;

  /** A frame larger than the configured maximum. */
  public static final int MESSAGE_TOO_BIG = 1009;

  /** The client did not read fast enough; reconnect with {@code since} to recover. */
  public static final int TRY_AGAIN_LATER = 1013;

  public static final int UNAUTHORIZED = 4001;
  public static final int FORBIDDEN = 4003;
  public static final int TOKEN_EXPIRED = 4008;
  public static final int RATE_LIMITED = 4029;

  private CloseCodes() {}
}
