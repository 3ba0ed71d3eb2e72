package dev.relay.gateway.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which webhooks are sent ({@code RELAY_WEBHOOK_EVENTS}, SPEC §11): a list of patterns matched
 * against a webhook's event type — an exact type ({@code room.occupied}), a prefix ({@code room.*},
 * {@code presence.*}, {@code message.*}) or {@code *} — plus the word {@code client} for every
 * client-published event. A client event is sent when {@code client} is listed or a pattern matches
 * its type; a lifecycle event when a pattern matches its type. Immutable.
 */
public final class WebhookSelection {

  /** The default: client-published events only, as before lifecycle webhooks. */
  public static final String DEFAULT = "client";

  /** The longest list accepted, so a hostile value cannot make matching slow. */
  public static final int MAX_PATTERNS = 64;

  private static final Pattern VALID =
      Pattern.compile("\\*|[A-Za-z0-9_-]{1,64}(\\.[A-Za-z0-9_-]{1,64}){0,7}(\\.\\*)?");

  private final boolean client;
  private final List<String> patterns;

  private WebhookSelection(boolean client, List<String> patterns) {
    this.client = client;
    this.patterns = List.copyOf(patterns);
  }

  /**
   * Parses a comma list; blanks around items are ignored.
   *
   * @throws IllegalArgumentException naming the first item that is neither {@code client} nor a
   *     pattern, or when the list is empty or longer than {@link #MAX_PATTERNS}
   */
  public static WebhookSelection parse(String list) {
    boolean client = false;
    List<String> patterns = new ArrayList<>();
    for (String raw : list.split(",", -1)) {
      String item = raw.strip();
      if (item.isEmpty()) {
        continue;
      }
      if (item.equals("client")) {
        client = true;
      } else if (item.length() <= 200 && VALID.matcher(item).matches()) {
        patterns.add(item);
      } else {
        throw new IllegalArgumentException(
            "'"
                + (item.length() > 40 ? item.substring(0, 40) + "…" : item)
                + "' is neither 'client' nor an event type pattern such as room.occupied,"
                + " room.*, presence.* or *");
      }
    }
    if (!client && patterns.isEmpty()) {
      throw new IllegalArgumentException("the list is empty (the default is 'client')");
    }
    if (patterns.size() > MAX_PATTERNS) {
      throw new IllegalArgumentException("more than " + MAX_PATTERNS + " patterns");
    }
    return new WebhookSelection(client, patterns);
  }

  /** Whether a client-published event of {@code type} is sent. */
  public boolean client(String type) {
    return client || matches(type);
  }

  /** Whether a lifecycle webhook of {@code type} is sent. */
  public boolean matches(String type) {
    for (String p : patterns) {
      if (p.equals("*")
          || p.equals(type)
          || (p.endsWith(".*") && type.startsWith(p.substring(0, p.length() - 1)))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    List<String> all = new ArrayList<>(patterns);
    if (client) {
      all.add(0, "client");
    }
    return String.join(",", all);
  }
}
