package dev.relay.gateway.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Map;

/**
 * The complete WebSocket text frame (header and payload; a server's frames are unmasked) of the
 * last {@code byte[]} written on this event loop, built once into a direct buffer that every
 * connection of the loop writes as a {@link ByteBuf#retainedDuplicate()}. The hub hands an event to
 * the connections of one loop in sequence, and {@code Delivery} gives them all the same encoded
 * array, so an event costs one frame per loop instead of one per connection; an array written by
 * one connection only (a reply, a frame carrying that connection's offset) simply replaces the
 * frame.
 *
 * <p>Memory: at most one frame per event loop is held here. The cache owns one reference to its
 * frame and releases it when the next array replaces it, or when the loop's thread ends; every
 * duplicate holds one reference of its own, released by Netty once written or dropped (a failed
 * write, a closed channel). So the frame's memory is freed after its last write, exactly once.
 *
 * <p>Keyed by the identity of the array, which is safe because {@code Transport#sendText} callers
 * never modify an array once written, and the cache holds the array it was built from, so its
 * identity cannot be reused while cached. Thread-safety: confined to its event loop (a thread
 * local); callers run on the loop of the channel they write to.
 */
final class SharedFrames {

  private static final byte FIN_TEXT = (byte) 0x81;
  private static final int MAX_SHORT_LENGTH = 125;
  private static final int MAX_MEDIUM_LENGTH = 0xFFFF;

  private static final FastThreadLocal<SharedFrames> PER_LOOP =
      new FastThreadLocal<>() {
        @Override
        protected SharedFrames initialValue() {
          return new SharedFrames();
        }

        @Override
        protected void onRemoval(SharedFrames frames) {
          frames.clear();
        }
      };

  private byte[] source;
  private ByteBuf frame;

  /** The cache of the calling event loop. */
  static SharedFrames onThisLoop() {
    return PER_LOOP.get();
  }

  /**
   * The text frame of {@code utf8} as a retained duplicate, which the caller owns: write it (Netty
   * releases it) or release it. Built with {@code alloc} unless it is the array of the last call.
   */
  ByteBuf frame(byte[] utf8, ByteBufAllocator alloc) {
    if (utf8 != source || frame == null) {
      ByteBuf built = textFrame(utf8, alloc);
      clear();
      source = utf8;
      frame = built;
    }
    return frame.retainedDuplicate();
  }

  /** Releases the held frame; duplicates still queued keep its memory until they are written. */
  void clear() {
    if (frame != null) {
      frame.release();
    }
    frame = null;
    source = null;
  }

  /**
   * True when a raw {@link ByteBuf} written on this pipeline reaches the socket as it is: every
   * outbound handler is a WebSocket frame encoder (which lets a {@code ByteBuf} pass) or TLS. Any
   * other outbound handler, such as a permessage-deflate extension encoder or an HTTP encoder still
   * in place, answers false: that connection writes frame objects instead.
   */
  static boolean suits(ChannelPipeline pipeline) {
    for (Map.Entry<String, ChannelHandler> entry : pipeline) {
      ChannelHandler handler = entry.getValue();
      if (handler instanceof ChannelOutboundHandler
          && !(handler instanceof WebSocketFrameEncoder || handler instanceof SslHandler)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A final, unmasked text frame of {@code utf8} (RFC 6455 §5.2): the 7-bit length up to 125 bytes,
   * 126 and a 16-bit length up to 65,535, else 127 and a 64-bit length.
   */
  static ByteBuf textFrame(byte[] utf8, ByteBufAllocator alloc) {
    int length = utf8.length;
    int header = length <= MAX_SHORT_LENGTH ? 2 : length <= MAX_MEDIUM_LENGTH ? 4 : 10;
    ByteBuf buf = alloc.directBuffer(header + length);
    buf.writeByte(FIN_TEXT);
    if (length <= MAX_SHORT_LENGTH) {
      buf.writeByte(length);
    } else if (length <= MAX_MEDIUM_LENGTH) {
      buf.writeByte(126).writeShort(length);
    } else {
      buf.writeByte(127).writeLong(length);
    }
    return buf.writeBytes(utf8);
  }
}
