package dev.relay.engine.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script loaded from the class path and run with {@code EVALSHA}, falling back to {@code
 * EVAL} when Redis does not know it yet ({@code NOSCRIPT}, e.g. after a restart). Redis runs each
 * script as one atomic step. Immutable and thread-safe.
 */
public final class RedisScript {

  private final String name;
  private final String text;
  private final String sha;

  private RedisScript(String name, String text) {
    this.name = name;
    this.text = text;
    this.sha = sha1Hex(text);
  }

  /**
   * The script in resource {@code name} next to {@code anchor}'s class file, preceded by the {@code
   * preludes} (resources resolved the same way, e.g. an absolute {@code /dev/relay/…} path): shared
   * Lua functions, one home for a rule that several scripts apply.
   */
  public static RedisScript load(Class<?> anchor, String name, String... preludes) {
    StringBuilder text = new StringBuilder();
    for (String prelude : preludes) {
      text.append(read(anchor, prelude)).append('\n');
    }
    return new RedisScript(name, text.append(read(anchor, name)).toString());
  }

  private static String read(Class<?> anchor, String name) {
    try (InputStream in = anchor.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " next to " + anchor);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the script: one round trip, two only when Redis has to be sent its text. */
  public <T> CompletionStage<T> run(
      RedisClusterAsyncCommands<String, String> c,
      ScriptOutputType type,
      String[] keys,
      String... args) {
    CompletionStage<T> first = c.evalsha(sha, type, keys, args);
    return first.exceptionallyCompose(
        failure ->
            RedisConnections.unwrap(failure) instanceof RedisNoScriptException
                ? c.<T>eval(text, type, keys, args)
                : CompletableFuture.failedStage(failure));
  }

  /**
   * Runs the script with {@code EVALSHA} only, for pipelines sent after {@link
   * RedisConnections#preload} made it known: a fallback to {@code EVAL} could run out of order.
   */
  <T> CompletionStage<T> runLoaded(
      RedisClusterAsyncCommands<String, String> c,
      ScriptOutputType type,
      String[] keys,
      String... args) {
    return c.evalsha(sha, type, keys, args);
  }

  /** The script's source, for {@link RedisConnections#preload}. */
  String text() {
    return text;
  }

  @Override
  public String toString() {
    return name;
  }

  private static String sha1Hex(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(40);
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
