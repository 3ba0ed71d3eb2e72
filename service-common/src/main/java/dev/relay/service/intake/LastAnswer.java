package dev.relay.service.intake;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;

/**
 * Sends the last answer of a connection whose client may still be sending a body: the answer is
 * flushed, the output shut down, and the connection closed {@link #LINGER_MILLIS} later, so the
 * client reads the answer instead of a reset. Whatever arrives meanwhile must be discarded by the
 * caller. The answer should carry {@code Connection: close}.
 */
public final class LastAnswer {

  public static final long LINGER_MILLIS = 1000;

  private LastAnswer() {}

  /** Writes {@code response} and closes the connection as described above. */
  public static void send(ChannelHandlerContext ctx, Object response) {
    ctx.writeAndFlush(response)
        .addListener(
            (ChannelFutureListener)
                written -> {
                  if (!written.isSuccess() || !(written.channel() instanceof DuplexChannel d)) {
                    written.channel().close();
                    return;
                  }
                  d.shutdownOutput();
                  d.eventLoop().schedule(() -> d.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
                });
  }
}
