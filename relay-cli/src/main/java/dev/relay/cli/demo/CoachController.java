package dev.relay.cli.demo;

import dev.relay.gateway.auth.TokenSigner;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * DEV-ONLY. The backend of the AI coach demo page ({@code /demo/coach.html}): mints a Socket.IO
 * connection token for a conversation room and, for each question, publishes the user's {@code
 * message.created} and {@code typing.started}, then has {@link CoachModel} stream the reply through
 * {@code POST /v1/events:stream}. Exists only when {@code relay.dev-mode=true}: it authenticates
 * nobody.
 */
@Controller("/demo/api/coach")
@Requires(property = "relay.dev-mode", value = "true")
public class CoachController {

  /** {@code POST /demo/api/coach/token} body and answer. */
  @Serdeable
  public record TokenRequest(@Nullable String conversation) {}

  @Serdeable
  public record TokenResponse(String token, String room, String conversation) {}

  /** {@code POST /demo/api/coach/ask} body. */
  @Serdeable
  public record Question(@Nullable String conversation, @Nullable String text) {}

  private static final Pattern CONVERSATION = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final TokenSigner signer;
  private final DemoPublisher publisher;
  private final CoachModel model;

  public CoachController(
      @Value("${jwt.signing.secret}") String secrets, DemoPublisher publisher, CoachModel model) {
    this.signer = new TokenSigner(secrets.split(",")[0].strip().getBytes(StandardCharsets.UTF_8));
    this.publisher = publisher;
    this.model = model;
  }

  @Post("/token")
  TokenResponse token(@Body TokenRequest request) {
    String conversation = conversation(request.conversation());
    String token =
        signer.connectionToken(
            "coach-user-" + UUID.randomUUID().toString().substring(0, 8),
            null,
            List.of("conversation:*"),
            List.of("subscribe", "presence"),
            Duration.ofHours(1));
    return new TokenResponse(token, "conversation:" + conversation, conversation);
  }

  @Post("/ask")
  CompletionStage<HttpResponse<?>> ask(@Body Question question) {
    String text = question.text() == null ? "" : question.text().strip();
    if (text.isEmpty() || text.length() > 500) {
      return DemoPublisher.badRequest("text", "text must be 1 to 500 characters");
    }
    String conversation = conversation(question.conversation());
    String room = "conversation:" + conversation;
    String messageId = "q-" + UUID.randomUUID().toString().substring(0, 8);
    return publisher
        .publishToRoom(
            room,
            "message.created",
            Map.of("messageId", messageId, "conversationId", conversation, "content", text))
        .thenCompose(
            published ->
                publisher.publishToRoom(
                    room, "typing.started", Map.of("conversationId", conversation, "sub", "coach")))
        .thenApply(
            typing -> {
              model
                  .reply(room, conversation, text)
                  .whenComplete(
                      (summary, error) ->
                          publisher.publishToRoom(
                              room,
                              "typing.stopped",
                              Map.of("conversationId", conversation, "sub", "coach")));
              return HttpResponse.<String>accepted()
                  .contentType(MediaType.APPLICATION_JSON_TYPE)
                  .body("{\"messageId\":\"" + messageId + "\"}");
            });
  }

  private static String conversation(String raw) {
    return raw != null && CONVERSATION.matcher(raw).matches() ? raw : "coach";
  }
}
