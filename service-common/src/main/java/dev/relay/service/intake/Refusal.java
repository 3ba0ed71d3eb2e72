package dev.relay.service.intake;

import dev.relay.contracts.ErrorCodes;
import dev.relay.service.http.Problem;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * A problem details answer (SPEC §2) that ends its connection: {@code Connection: close}, sent by
 * the intake handlers (and {@link IntakeStage}s) themselves because Micronaut never saw (or will
 * never finish) the request.
 *
 * @param status the HTTP status
 * @param code the stable error code
 * @param detail a fixed sentence; never holds client input
 */
public record Refusal(int status, String code, String detail) {

  static Refusal unauthorized() {
    return new Refusal(
        401,
        ErrorCodes.UNAUTHORIZED,
        "missing or invalid credentials: send Authorization: Bearer <key> or X-Relay-Signature");
  }

  static Refusal tooLarge(long maxBytes) {
    return new Refusal(
        413, ErrorCodes.PAYLOAD_TOO_LARGE, "request body exceeds " + maxBytes + " bytes");
  }

  static Refusal timeout(long seconds) {
    return new Refusal(
        408,
        ErrorCodes.REQUEST_TIMEOUT,
        "request not received within " + seconds + " s; send it again, faster");
  }

  /** The answer as an HTTP object, for handlers after the HTTP codec. */
  public FullHttpResponse response() {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(status),
            Unpooled.wrappedBuffer(json()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return response;
  }

  /** The answer as raw bytes, for a handler in front of the HTTP codec. */
  ByteBuf bytes(ByteBufAllocator alloc) {
    byte[] body = json();
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + HttpResponseStatus.valueOf(status).reasonPhrase()
            + "\r\nContent-Type: application/problem+json\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    ByteBuf buf = alloc.buffer(head.length() + body.length);
    buf.writeCharSequence(head, StandardCharsets.US_ASCII);
    buf.writeBytes(body);
    return buf;
  }

  private byte[] json() {
    Problem p = Problem.of(status, code, detail, null);
    return ("{\"type\":\""
            + p.type()
            + "\",\"title\":\""
            + p.title()
            + "\",\"status\":"
            + p.status()
            + ",\"detail\":\""
            + p.detail()
            + "\",\"code\":\""
            + p.code()
            + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
