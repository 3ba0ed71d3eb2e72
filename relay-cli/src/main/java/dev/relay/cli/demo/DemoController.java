package dev.relay.cli.demo;

import dev.relay.gateway.auth.TokenSigner;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * DEV-ONLY. The Planning Poker demo of {@code ./relay dev}: its static page at {@code /demo/}
 * (which {@code /} redirects to; both answer any {@code Accept}, the assets declaring their own
 * type) and a tiny stand-in for an app backend at {@code /demo/api/*}, which mints tokens for a
 * player (name in the {@code info} claim, SPEC §11), keeps the votes ({@link DemoTable}) and
 * publishes {@code vote.cast} (without the value), {@code votes.revealed} (with every value) and
 * {@code issue.advanced} through publish-api exactly as a real backend would ({@code POST
 * /v1/events} with the API key, see {@link DemoPublisher}). It exists only when {@code
 * relay.dev-mode=true}: it authenticates nobody, and anyone who can reach it can mint tokens for
 * any demo identity, so it must never run in production.
 */
@Controller
@Requires(property = "relay.dev-mode", value = "true")
public class DemoController {

  /** {@code POST /demo/api/token} body. */
  @Serdeable
  public record TokenRequest(@Nullable String name, @Nullable String session) {}

  @Serdeable
  public record TokenResponse(String token, String participantId, String name, String session) {}

  /** {@code POST /demo/api/join} body; {@code participantId} is the one a previous join gave. */
  @Serdeable
  public record JoinRequest(
      @Nullable String name, @Nullable String session, @Nullable String participantId) {}

  /** A player's tokens, room and identity, and the issue the table is estimating now. */
  @Serdeable
  public record JoinResponse(
      String token,
      String roomToken,
      String room,
      String participantId,
      String name,
      String session,
      String issueKey) {}

  /** {@code POST /demo/api/vote|reveal|advance} body; {@code value} only for votes. */
  @Serdeable
  public record Action(
      @Nullable String session,
      @Nullable String issueKey,
      @Nullable String participantId,
      @Nullable String name,
      @Nullable String value) {}

  private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern PARTICIPANT = Pattern.compile("demo-[0-9a-f]{8}");
  private static final Duration TOKEN_TTL = Duration.ofHours(1);
  private static final Pattern ISSUE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final List<String> CARDS = List.of("1", "2", "3", "5", "8", "13", "?");
  private static final Map<String, String> ASSETS =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "poker.js", "text/javascript; charset=utf-8",
          "poker.css", "text/css; charset=utf-8",
          "socket.io.min.js", "text/javascript; charset=utf-8",
          "feed.html", "text/html; charset=utf-8",
          "feed.js", "text/javascript; charset=utf-8",
          "coach.html", "text/html; charset=utf-8",
          "coach.js", "text/javascript; charset=utf-8",
          "relay-client/index.js", "text/javascript; charset=utf-8");

  private final TokenSigner signer;
  private final DemoPublisher publisher;
  private final DemoTable table = new DemoTable();

  public DemoController(@Value("${jwt.signing.secret}") String secrets, DemoPublisher publisher) {
    this.signer = new TokenSigner(secrets.split(",")[0].strip().getBytes(StandardCharsets.UTF_8));
    this.publisher = publisher;
  }

  /** Dev mode's front page is the demo: whatever the client accepts. */
  @Get
  @Produces(MediaType.ALL)
  HttpResponse<?> root() {
    return HttpResponse.seeOther(URI.create("/demo/"));
  }

  /** {@code /demo} and {@code /demo/} (Micronaut matches both); the page uses absolute paths. */
  @Get("/demo/")
  @Produces(MediaType.ALL)
  HttpResponse<byte[]> index() {
    return asset("index.html");
  }

  @Get("/demo/{file}")
  @Produces(MediaType.ALL)
  HttpResponse<byte[]> file(@PathVariable String file) {
    return asset(file);
  }

  /**
   * The JS client {@code @relay-realtime/client} as {@code clients/js} built it (the feed page).
   */
  @Get("/demo/relay-client/{file}")
  @Produces(MediaType.ALL)
  HttpResponse<byte[]> client(@PathVariable String file) {
    return asset("relay-client/" + file);
  }

  /**
   * A connection token that joins {@code session:<session>} at connect (the live-feed page, the
   * README's console snippets).
   */
  @Post("/demo/api/token")
  TokenResponse token(@Body TokenRequest request) {
    String name = name(request.name());
    String session = session(request.session());
    String participantId = newParticipantId();
    String token =
        signer.connectionToken(
            participantId, session, List.of(), List.of("subscribe", "presence"), TOKEN_TTL);
    return new TokenResponse(token, participantId, name, session);
  }

  /**
   * A player's tokens: a connection token for {@code participantId} (kept when it is one this route
   * minted, so a reload keeps the player's identity; a fresh one otherwise) whose {@code info}
   * claim carries the name the table shows, and a subscription token for the session's room. The
   * connection joins no room at connect: the page subscribes with {@code history}, so the reply,
   * then the room's recent events, then live ones arrive in that order. Dev only: a real backend
   * takes the identity from its own login, never from the request.
   */
  @Post("/demo/api/join")
  JoinResponse join(@Body JoinRequest request) {
    String name = name(request.name());
    String session = session(request.session());
    String participantId =
        request.participantId() != null && PARTICIPANT.matcher(request.participantId()).matches()
            ? request.participantId()
            : newParticipantId();
    String room = "session:" + session;
    String token =
        signer.connectionToken(
            participantId,
            null,
            List.of(),
            List.of("subscribe", "presence"),
            TOKEN_TTL,
            Map.of("name", name));
    return new JoinResponse(
        token,
        signer.subscriptionToken(participantId, room, TOKEN_TTL),
        room,
        participantId,
        name,
        session,
        table.currentIssue(session));
  }

  /** Records the vote here and announces it WITHOUT its value: {@code vote.cast} (SPEC §3). */
  @Post("/demo/api/vote")
  CompletionStage<HttpResponse<?>> vote(@Body Action action) {
    if (action.value() == null || !CARDS.contains(action.value())) {
      return DemoPublisher.badRequest("value", "value must be one of " + CARDS);
    }
    if (action.participantId() == null || !PARTICIPANT.matcher(action.participantId()).matches()) {
      return DemoPublisher.badRequest("participantId", "participantId is required");
    }
    String session = session(action.session());
    String issueKey = issue(action.issueKey());
    String name = name(action.name());
    try {
      table.vote(
          session, issueKey, new DemoTable.Vote(action.participantId(), name, action.value()));
    } catch (DemoTable.Refused e) {
      return DemoPublisher.conflict(e.getMessage());
    }
    return publisher.publish(
        session,
        "vote.cast",
        Map.of("issueKey", issueKey, "participantId", action.participantId(), "name", name));
  }

  /** {@code votes.revealed} with every vote of the current issue, values included. */
  @Post("/demo/api/reveal")
  CompletionStage<HttpResponse<?>> reveal(@Body Action action) {
    String session = session(action.session());
    String issueKey = issue(action.issueKey());
    List<DemoTable.Vote> votes;
    try {
      votes = table.reveal(session, issueKey);
    } catch (DemoTable.Refused e) {
      return DemoPublisher.conflict(e.getMessage());
    }
    return publisher.publish(
        session, "votes.revealed", Map.of("issueKey", issueKey, "votes", votes));
  }

  /** {@code issue.advanced} to the next issue; {@code issueKey} is the one being left. */
  @Post("/demo/api/advance")
  CompletionStage<HttpResponse<?>> advance(@Body Action action) {
    String session = session(action.session());
    String next;
    try {
      next = table.advance(session, issue(action.issueKey()));
    } catch (DemoTable.Refused e) {
      return DemoPublisher.conflict(e.getMessage());
    }
    return publisher.publish(session, "issue.advanced", Map.of("issueKey", next));
  }

  private static HttpResponse<byte[]> asset(String file) {
    String type = ASSETS.get(file);
    if (type == null) {
      return HttpResponse.notFound();
    }
    try (InputStream in = DemoController.class.getResourceAsStream("/demo/" + file)) {
      if (in == null) {
        return HttpResponse.notFound();
      }
      return HttpResponse.ok(in.readAllBytes())
          .contentType(MediaType.of(type))
          .header("Cache-Control", "no-cache");
    } catch (IOException e) {
      return HttpResponse.serverError();
    }
  }

  private static String newParticipantId() {
    return "demo-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String name(String raw) {
    String name = raw == null ? "" : raw.strip();
    if (name.isEmpty()) {
      return "anonymous";
    }
    return name.length() > 40 ? name.substring(0, 40) : name;
  }

  private static String session(String raw) {
    return raw != null && SESSION.matcher(raw).matches() ? raw : "demo";
  }

  private static String issue(String raw) {
    return raw != null && ISSUE.matcher(raw).matches() ? raw : "DEMO-1";
  }
}
