package dev.relay.publish.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How an NDJSON body is cut into numbered lines, whatever the chunking, within the line cap. */
class LineSplitterTest {

  private final List<String> seen = new ArrayList<>();
  private final LineSplitter splitter =
      new LineSplitter(
          8,
          new LineSplitter.Lines() {
            @Override
            public void line(int number, byte[] bytes) {
              seen.add(number + ":" + new String(bytes, StandardCharsets.UTF_8));
            }

            @Override
            public void tooLong(int number) {
              seen.add(number + ":too long");
            }
          });

  private void feed(String text) {
    ByteBuf chunk = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    splitter.feed(chunk);
    assertThat(chunk.isReadable()).isFalse();
    chunk.release();
  }

  @Test
  void linesAcrossChunksWithCrlfBlankLinesAndNoFinalNewline() {
    feed("ab");
    feed("c\r\n\n  \r\nde");
    feed("f\ng");
    splitter.finish();

    assertThat(seen).containsExactly("1:abc", "4:def", "5:g");
  }

  @Test
  void aLineOverTheCapIsReportedOnceAndSkippedToItsNewlineWithoutBeingHeld() {
    feed("12345");
    feed("67890"); // past 8 bytes (and the 1 a carriage return may take)
    assertThat(seen).containsExactly("1:too long");
    for (int i = 0; i < 1000; i++) {
      feed("xxxxxxxxxxxxxxxx"); // a line that never ends: nothing held
      assertThat(splitter.pendingBytes()).isZero();
    }
    feed("\nok\n");

    assertThat(seen).containsExactly("1:too long", "2:ok");
  }

  @Test
  void aLineExactlyAtTheCapPassesAlsoWithCarriageReturn() {
    feed("12345678\r\n12345678\n");
    splitter.finish();

    assertThat(seen).containsExactly("1:12345678", "2:12345678");
  }

  @Test
  void anUnfinishedOverlongLastLineEndsWithoutAnotherReport() {
    feed("123456789");
    splitter.finish();

    assertThat(seen).containsExactly("1:too long");
  }
}
