package dev.relay.gateway.kit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer to one request, in the same shape for both protocols: JSON {@code subscribed}/{@code
 * ack}/{@code presence}/… or {@code error}, Socket.IO {@code {ok:true,…}} or {@code {ok:false,
 * code}} acks.
 *
 * @param ok whether the request succeeded
 * @param code the error code of a failure, null on success
 * @param body the whole reply as received, for protocol-neutral fields such as {@code room}, {@code
 *     id}, {@code recovered}, {@code members}, {@code expiresAt}
 */
public record Answer(boolean ok, String code, JsonNode body) {

  /** {@code recovered} of a subscribe answer, or null when the answer does not carry it. */
  public Boolean recovered() {
    JsonNode value = body.get("recovered");
    return value == null || !value.isBoolean() ? null : value.booleanValue();
  }

  /** {@code history} (events sent) of a subscribe answer, or null when it does not carry it. */
  public Integer history() {
    JsonNode value = body.get("history");
    return value == null || !value.isInt() ? null : value.intValue();
  }
}
