package dev.relay.gateway.netty;

import static dev.relay.gateway.netty.NettyTransport.Wire.WEBSOCKET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.gateway.transport.OutboundBudget;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shared WebSocket text frame: its header forms, decoded back by Netty's own decoder, and one
 * buffer shared by every connection of a loop, released once all of them wrote it. Unpooled buffers
 * keep reference counts readable after the last release.
 */
class SharedFramesTest {

  private static final ByteBufAllocator ALLOC = new UnpooledByteBufAllocator(true);
  private static final OutboundBudget BUDGET = new OutboundBudget(1 << 20, () -> {});

  @AfterEach
  void clearThisThreadsCache() {
    SharedFrames.onThisLoop().clear();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 125, 126, 65_535, 65_536})
  void buildsTheHeaderFormOfEachLengthAndDecodesBack(int length) {
    byte[] payload = new byte[length];
    Arrays.fill(payload, (byte) 'x');
    ByteBuf frame = SharedFrames.textFrame(payload, ALLOC);
    int header = length <= 125 ? 2 : length <= 65_535 ? 4 : 10;
    assertThat(frame.readableBytes()).isEqualTo(header + length);
    assertThat(frame.getByte(0)).isEqualTo((byte) 0x81); // FIN, text
    int lengthField = frame.getByte(1) & 0xFF; // mask bit clear: a server's frame
    if (header == 2) {
      assertThat(lengthField).isEqualTo(length);
    } else if (header == 4) {
      assertThat(lengthField).isEqualTo(126);
      assertThat(frame.getUnsignedShort(2)).isEqualTo(length);
    } else {
      assertThat(lengthField).isEqualTo(127);
      assertThat(frame.getLong(2)).isEqualTo(length);
    }

    EmbeddedChannel client =
        new EmbeddedChannel(new WebSocket08FrameDecoder(false, false, 1 << 20));
    client.writeInbound(frame);
    TextWebSocketFrame decoded = client.readInbound();
    assertThat(decoded.isFinalFragment()).isTrue();
    assertThat(ByteBufUtil.getBytes(decoded.content())).isEqualTo(payload);
    decoded.release();
    assertThat(frame.refCnt()).isZero();
    assertThat(client.finishAndReleaseAll()).isFalse();
  }

  @Test
  void everyConnectionOfALoopWritesOneSharedBufferReleasedAfterTheLastWrite() {
    byte[] event = "{\"type\":\"event\"}".getBytes(StandardCharsets.UTF_8);
    List<EmbeddedChannel> channels = new ArrayList<>();
    List<ByteBuf> written = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      EmbeddedChannel channel = webSocket();
      channels.add(channel);
      transport(channel, NettyTransport.Wire.WEBSOCKET).sendText(event);
      written.add(channel.readOutbound());
    }
    for (ByteBuf frame : written) {
      // one buffer: the cache's reference and one per connection, on a single count
      assertThat(frame.refCnt()).isEqualTo(51);
      assertThat(decode(frame.retainedDuplicate())).isEqualTo("{\"type\":\"event\"}");
    }
    written.forEach(ByteBuf::release);
    ByteBuf first = written.get(0);
    assertThat(first.refCnt()).isEqualTo(1); // the cache's own

    // A frame of one connection (a reply) replaces the shared one, which is freed exactly once.
    NettyTransport one = transport(channels.get(0), NettyTransport.Wire.WEBSOCKET);
    one.sendText("{\"type\":\"reply\"}");
    assertThat(first.refCnt()).isZero();
    ByteBuf reply = channels.get(0).readOutbound();
    assertThat(decode(reply)).isEqualTo("{\"type\":\"reply\"}");

    SharedFrames.onThisLoop().clear();
    assertThat(reply.refCnt()).isZero();
    channels.forEach(c -> assertThat(c.finishAndReleaseAll()).isFalse());
  }

  @Test
  void framesQueuedOnAClosedConnectionAreReleasedWithIt() {
    byte[] event = "{\"type\":\"event\"}".getBytes(StandardCharsets.UTF_8);
    EmbeddedChannel open = webSocket();
    EmbeddedChannel closing = webSocket();
    transport(open, NettyTransport.Wire.WEBSOCKET).sendText(event);
    transport(closing, NettyTransport.Wire.WEBSOCKET).sendText(event);
    ByteBuf kept = open.readOutbound();
    assertThat(kept.refCnt()).isEqualTo(3);

    closing.finishAndReleaseAll(); // the peer went away with the frame still queued
    assertThat(kept.refCnt()).isEqualTo(2);
    transport(closing, NettyTransport.Wire.WEBSOCKET).sendText(event); // closed: not written
    assertThat(kept.refCnt()).isEqualTo(2);

    kept.release();
    SharedFrames.onThisLoop().clear();
    assertThat(kept.refCnt()).isZero();
    open.finishAndReleaseAll();
  }

  @Test
  void framesStillQueuedOnARealSocketAreReleasedWhenItCloses() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      CompletableFuture<Channel> accepted = new CompletableFuture<>();
      Channel server =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childOption(ChannelOption.ALLOCATOR, ALLOC)
              .childOption(ChannelOption.SO_SNDBUF, 4096)
              .childHandler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline().addLast(new WebSocket13FrameEncoder(false));
                      accepted.complete(ch);
                    }
                  })
              .bind(InetAddress.getLoopbackAddress(), 0)
              .sync()
              .channel();
      // A peer that never reads: what the socket cannot take stays queued in Netty.
      new Bootstrap()
          .group(group)
          .channel(NioSocketChannel.class)
          .option(ChannelOption.AUTO_READ, false)
          .option(ChannelOption.SO_RCVBUF, 4096)
          .handler(new ChannelInboundHandlerAdapter())
          .connect(server.localAddress())
          .sync();
      Channel child = accepted.get(5, TimeUnit.SECONDS);
      byte[] event = new byte[16 * 1024];
      OutboundBudget budget = new OutboundBudget(64 << 20, () -> {});
      ByteBuf probe =
          child
              .eventLoop()
              .submit(
                  () -> {
                    for (int i = 0; i < 3; i++) { // three connections' worth on one channel
                      NettyTransport t = new NettyTransport(child, "127.0.0.1", budget, WEBSOCKET);
                      for (int n = 0; n < 100; n++) {
                        t.sendText(event);
                      }
                    }
                    assertThat(child.unsafe().outboundBuffer().totalPendingWriteBytes())
                        .isPositive();
                    return SharedFrames.onThisLoop().frame(event, ALLOC);
                  })
              .get(5, TimeUnit.SECONDS);
      assertThat(probe.refCnt()).isGreaterThan(2); // the cache, the probe and queued duplicates

      // Closed on its loop, the close (and the release of what was queued) is done on return.
      child.eventLoop().submit(() -> child.close()).get(5, TimeUnit.SECONDS);
      assertThat(probe.refCnt()).isEqualTo(2);
      probe.release();
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync(); // the loop ends: cache released
      assertThat(probe.refCnt()).isZero();
      server.close();
    } finally {
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aConnectionWithAnExtensionOrAStreamKeepsWritingFrameObjects() {
    EmbeddedChannel compressed = new EmbeddedChannel(new WebSocketServerCompressionHandler(0));
    transport(compressed, NettyTransport.Wire.WEBSOCKET).sendText("{}");
    Object frame = compressed.readOutbound();
    assertThat(frame).isInstanceOf(TextWebSocketFrame.class);
    ((TextWebSocketFrame) frame).release();

    EmbeddedChannel stream = new EmbeddedChannel();
    transport(stream, NettyTransport.Wire.HTTP_CHUNKS).sendText("data: {}\n\n");
    Object chunk = stream.readOutbound();
    assertThat(chunk).isInstanceOf(HttpContent.class);
    ((HttpContent) chunk).release();
    assertThat(compressed.finishAndReleaseAll()).isFalse();
    assertThat(stream.finishAndReleaseAll()).isFalse();
  }

  /** A channel whose pipeline is an upgraded connection's outbound side. */
  private static EmbeddedChannel webSocket() {
    EmbeddedChannel channel = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
    channel.config().setAllocator(ALLOC);
    return channel;
  }

  private static NettyTransport transport(EmbeddedChannel channel, NettyTransport.Wire wire) {
    return new NettyTransport(channel, "127.0.0.1", BUDGET, wire);
  }

  private static String decode(ByteBuf frame) {
    EmbeddedChannel client =
        new EmbeddedChannel(new WebSocket08FrameDecoder(false, false, 1 << 20));
    client.writeInbound(frame);
    TextWebSocketFrame decoded = client.readInbound();
    String text = decoded.text();
    decoded.release();
    client.finishAndReleaseAll();
    return text;
  }
}
