package dev.relay.publish.stream;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Cuts an NDJSON body into lines as its chunks arrive. Lines end with {@code \n} (a {@code \r}
 * before it is dropped); the last line may lack it. Lines are numbered from 1, blank lines included
 * (and then skipped), so numbers match what the client sent.
 *
 * <p>Memory is bounded by {@code maxLineBytes}: a line that grows past it is reported once as too
 * long, the moment it crosses the limit, and the rest of it is discarded up to its newline. Not
 * thread-safe: one instance per request, fed on its connection's event loop.
 */
final class LineSplitter {

  /** Where lines go. */
  interface Lines {
    /** A complete, non-blank line, without its line end. */
    void line(int number, byte[] bytes);

    /** Line {@code number} grew past the limit; it is discarded. */
    void tooLong(int number);
  }

  private final int maxLineBytes;
  private final Lines lines;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private int number = 1;
  private boolean discarding;

  LineSplitter(int maxLineBytes, Lines lines) {
    this.maxLineBytes = maxLineBytes;
    this.lines = lines;
  }

  /** Feeds one chunk; does not release it. */
  void feed(ByteBuf chunk) {
    while (chunk.isReadable()) {
      int end = chunk.indexOf(chunk.readerIndex(), chunk.writerIndex(), (byte) '\n');
      int stop = end < 0 ? chunk.writerIndex() : end;
      take(chunk, stop - chunk.readerIndex());
      if (end < 0) {
        return;
      }
      chunk.skipBytes(1);
      endLine();
    }
  }

  /** The body ended: a last line without a newline is complete. */
  void finish() {
    if (partial.size() > 0 || discarding) {
      endLine();
    }
  }

  /** Bytes held for the line in progress (at most {@code maxLineBytes}). */
  int pendingBytes() {
    return partial.size();
  }

  private void take(ByteBuf chunk, int length) {
    if (discarding) {
      chunk.skipBytes(length);
      return;
    }
    if (partial.size() + length > maxLineBytes + 1) { // + 1: a '\r' before the newline
      chunk.skipBytes(length);
      partial.reset();
      discarding = true;
      lines.tooLong(number);
      return;
    }
    byte[] piece = new byte[length];
    chunk.readBytes(piece);
    partial.writeBytes(piece);
  }

  private void endLine() {
    int line = number++;
    if (discarding) {
      discarding = false;
      return;
    }
    byte[] bytes = partial.toByteArray();
    partial.reset();
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\r') {
      length--;
    }
    if (length > maxLineBytes) {
      lines.tooLong(line);
      return;
    }
    if (isBlank(bytes, length)) {
      return;
    }
    lines.line(line, length == bytes.length ? bytes : Arrays.copyOf(bytes, length));
  }

  private static boolean isBlank(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
