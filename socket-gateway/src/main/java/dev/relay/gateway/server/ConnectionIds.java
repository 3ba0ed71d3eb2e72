package dev.relay.gateway.server;

import java.security.SecureRandom;

/** Connection ids: 16 random base32 characters, unique in practice across instances. */
final class ConnectionIds {

  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private ConnectionIds() {}

  static String next() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    char[] id = new char[16];
    for (int i = 0; i < id.length; i++) {
      id[i] = ALPHABET[bytes[i] & 31];
    }
    return new String(id);
  }
}
