package dev.relay.bench.stream;

import dev.relay.bench.stats.Samples;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.TreeMap;

/**
 * One subscriber of a streamed message on the JSON protocol (SPEC §5, §12): rebuilds the message's
 * text from {@code message.delta} (appended only in {@code seq} order; an older seq counts as a
 * duplicate, a newer one waits for the missing ones), {@code message.snapshot} (replaces the text
 * up to its seq) and {@code message.completed}. After a reconnect it subscribes with {@code since}
 * = the last event id it saw. Live delta latency is recorded only on connections that never
 * reconnected. Frames are matched by substring. Confined to its channel's event loop; a new
 * instance per connection shares the {@link State}.
 */
final class TextSubscriber extends SimpleChannelInboundHandler<TextWebSocketFrame> {

  /** What one subscriber knows, across its connections; read by the runner after the run. */
  static final class State {
    final String room;
    final StringBuilder text = new StringBuilder();
    final Samples latency = new Samples(100_000);
    volatile boolean ready;
    volatile boolean completed;
    volatile String completedContent;
    volatile int duplicates;
    volatile int recoveredFalse;
    volatile boolean reconnected;
    int lastSeq;
    String lastId;

    /**
     * Deltas that came ahead of a missing one: after a reconnect, live deltas may arrive before the
     * replay of the gap (SPEC §7: the gap is replayed without repeating what came live).
     */
    final TreeMap<Integer, String> ahead = new TreeMap<>();

    State(String room) {
      this.room = room;
    }

    /**
     * Whether this subscriber ends with exactly {@code expected}: the text rebuilt from snapshots
     * and deltas is the whole of it; or, for a subscriber that was away when the stream ended, a
     * beginning of it that the completion's content finishes (SPEC §12: deltas are never replayed
     * one by one, and a completed message has no snapshot, so the completion carries the rest).
     */
    boolean endsExact(String expected) {
      String rebuilt = text.toString();
      if (!expected.equals(completedContent)) {
        return false;
      }
      return rebuilt.equals(expected) || (reconnected && expected.startsWith(rebuilt));
    }
  }

  private final State state;
  private final DeltaClock clock;
  private final Runnable onReady;
  private final Runnable onClosed;

  TextSubscriber(State state, DeltaClock clock, Runnable onReady, Runnable onClosed) {
    super(true);
    this.state = state;
    this.clock = clock;
    this.onReady = onReady;
    this.onClosed = onClosed;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
    String text = frame.text();
    long now = System.nanoTime();
    if (text.startsWith("{\"type\":\"event\"")) {
      event(text, now);
    } else if (text.contains("\"type\":\"welcome\"")) {
      if (state.lastId != null) {
        ctx.writeAndFlush(
            new TextWebSocketFrame(
                "{\"type\":\"subscribe\",\"room\":\""
                    + state.room
                    + "\",\"since\":\""
                    + state.lastId
                    + "\"}"));
      }
      if (!state.ready) {
        state.ready = true;
        onReady.run();
      }
    } else if (text.contains("\"recovered\":false") && state.lastId != null) {
      state.recoveredFalse++;
    }
  }

  private void event(String text, long now) {
    String id = string(text, "\"id\":\"");
    if (id != null) {
      state.lastId = id;
    }
    if (text.contains("\"type\":\"message.delta\"")) {
      int seq = (int) number(text, "\"seq\":");
      String delta = string(text, "\"delta\":\"");
      if (seq == state.lastSeq + 1) {
        state.text.append(delta);
        state.lastSeq = seq;
        if (!state.reconnected) {
          state.latency.recordNanos(now - clock.sentNanos(delta));
        }
        drainAhead();
      } else if (seq <= state.lastSeq || state.ahead.containsKey(seq)) {
        state.duplicates++;
      } else {
        state.ahead.put(seq, delta);
      }
    } else if (text.contains("\"type\":\"message.snapshot\"")) {
      int seq = (int) number(text, "\"seq\":");
      if (seq >= state.lastSeq) {
        state.text.setLength(0);
        state.text.append(string(text, "\"content\":\""));
        state.lastSeq = seq;
        state.ahead.headMap(seq, true).clear();
        drainAhead();
      }
    } else if (text.contains("\"type\":\"message.completed\"")) {
      state.completedContent = string(text, "\"content\":\"");
      state.completed = true;
    }
  }

  private void drainAhead() {
    while (!state.ahead.isEmpty() && state.ahead.firstKey() == state.lastSeq + 1) {
      state.text.append(state.ahead.pollFirstEntry().getValue());
      state.lastSeq++;
    }
  }

  /** The string after {@code key} up to the next quote (bench text has no escapes). */
  static String string(String text, String key) {
    int at = text.indexOf(key);
    if (at < 0) {
      return null;
    }
    int from = at + key.length();
    int end = text.indexOf('"', from);
    return end < 0 ? null : text.substring(from, end);
  }

  static long number(String text, String key) {
    int at = text.indexOf(key);
    if (at < 0) {
      return -1;
    }
    long value = 0;
    for (int i = at + key.length(); i < text.length() && Character.isDigit(text.charAt(i)); i++) {
      value = value * 10 + (text.charAt(i) - '0');
    }
    return value;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    onClosed.run();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
