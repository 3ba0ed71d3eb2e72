package dev.relay.service.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}). {@code code} is the stable,
 * machine-readable error code of SPEC §2; {@code field} names the offending request field on a 400
 * and is left out otherwise.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, String code, String field) {

  /** The {@code type} URI for a code: {@code urn:relay:error:<code>}. */
  public static String typeOf(String code) {
    return "urn:relay:error:" + code;
  }

  public static Problem of(int status, String code, String detail, String field) {
    return new Problem(typeOf(code), ProblemStatus.title(status), status, detail, code, field);
  }
}
