package dev.relay.publish.auth;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A parsed {@code X-Relay-Signature} header: {@code t=<unix seconds>,v1=<64 hex>}, pairs in any
 * order, optional spaces; several {@code v1} values are allowed (a publisher mid-rotation may sign
 * with two keys); other schemes are ignored. Parsing never throws.
 */
record SignatureHeader(long timestamp, List<byte[]> signatures) {

  private static final int MAX_LENGTH = 1024;

  static Optional<SignatureHeader> parse(String header) {
    if (header == null || header.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    Long timestamp = null;
    List<byte[]> signatures = new ArrayList<>();
    for (String part : header.split(",", -1)) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        return Optional.empty();
      }
      String name = part.substring(0, eq).strip();
      String value = part.substring(eq + 1).strip();
      if (name.equals("t")) {
        if (timestamp != null || !value.matches("\\d{1,12}")) {
          return Optional.empty();
        }
        timestamp = Long.parseLong(value);
      } else if (name.equals("v1")) {
        if (!value.matches("[0-9a-fA-F]{64}")) {
          return Optional.empty();
        }
        signatures.add(HexFormat.of().parseHex(value));
      }
    }
    if (timestamp == null || signatures.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new SignatureHeader(timestamp, List.copyOf(signatures)));
  }
}
