package dev.relay.engine;

import java.util.concurrent.ThreadLocalRandom;

/** Names for a new life of a room's stream (the epoch part of {@code EventId}). */
public final class Epochs {

  private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

  private Epochs() {}

  /**
   * A random base-36 name of 6 to 8 characters. Two independent calls collide with a probability
   * below 1 in 2 billion, so a lost and recreated stream gets an epoch different from its old one.
   * An epoch is not a secret (every event id shows it), so it needs uniqueness, not
   * unpredictability: {@link ThreadLocalRandom}, not {@code SecureRandom}, whose shared generator
   * took a lock and a hash on each of the up to nine draws of every append (#17, fourth session).
   */
  public static String random() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int length = 6 + random.nextInt(3);
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = BASE36[random.nextInt(BASE36.length)];
    }
    return new String(out);
  }
}
