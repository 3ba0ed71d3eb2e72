package dev.relay.engine;

import java.security.SecureRandom;

/** Names for a new life of a room's stream (the epoch part of {@code EventId}). */
public final class Epochs {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

  private Epochs() {}

  /**
   * A random base-36 name of 6 to 8 characters. Two independent calls collide with a probability
   * below 1 in 2 billion, so a lost and recreated stream gets an epoch different from its old one.
   */
  public static String random() {
    int length = 6 + RANDOM.nextInt(3);
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = BASE36[RANDOM.nextInt(BASE36.length)];
    }
    return new String(out);
  }
}
