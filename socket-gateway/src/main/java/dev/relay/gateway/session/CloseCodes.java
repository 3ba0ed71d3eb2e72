package dev.relay.gateway.session;

import dev.relay.contracts.ErrorCodes;

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

  /**
   * The error code a protocol without close codes (Socket.IO) reports for a close code: 4001
   * unauthorized, 4003 forbidden, 4008 token_expired, 4029 rate_limited; any other code of a
   * server-side disconnect (SPEC §11) {@code disconnected}.
   */
  public static String errorCode(int code) {
    return switch (code) {
      case UNAUTHORIZED -> ErrorCodes.UNAUTHORIZED;
      case FORBIDDEN -> ErrorCodes.FORBIDDEN;
      case TOKEN_EXPIRED -> ErrorCodes.TOKEN_EXPIRED;
      case RATE_LIMITED -> ErrorCodes.RATE_LIMITED;
      default -> ErrorCodes.DISCONNECTED;
    };
  }
}
