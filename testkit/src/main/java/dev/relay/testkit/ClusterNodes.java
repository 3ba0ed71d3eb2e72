package dev.relay.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Redis Cluster's nodes say about it, read over raw RESP ({@link Resp}): the node table
 * ({@code CLUSTER NODES}), a key's slot, a node's {@code cluster_state} and a master's replication
 * offsets. Stateless.
 */
final class ClusterNodes {

  /** One line of {@code CLUSTER NODES}: a node's port, role, failure flag and slot ranges. */
  record Node(int port, boolean master, boolean failed, List<int[]> slots) {

    boolean hasSlots() {
      return !slots.isEmpty();
    }

    boolean serves(int slot) {
      return slots.stream().anyMatch(range -> range[0] <= slot && slot <= range[1]);
    }
  }

  /** A master's {@code master_repl_offset} and the offsets of its online replicas. */
  record Replication(long offset, List<Long> online) {}

  private ClusterNodes() {}

  /** The node table as the first of {@code live} that answers sees it. */
  static List<Node> read(List<RedisProcess> live) {
    IOException last = new IOException("no live node");
    for (RedisProcess node : live) {
      try {
        return parse(Resp.call(node.port(), "CLUSTER", "NODES"));
      } catch (IOException e) {
        last = e;
      }
    }
    throw new UncheckedIOException(last);
  }

  /** The hash slot of {@code key}, computed by the first of {@code live} that answers. */
  static int keySlot(List<RedisProcess> live, String key) {
    IOException last = new IOException("no live node");
    for (RedisProcess node : live) {
      try {
        return Integer.parseInt(Resp.call(node.port(), "CLUSTER", "KEYSLOT", key));
      } catch (IOException e) {
        last = e;
      }
    }
    throw new UncheckedIOException(last);
  }

  /** The {@code cluster_state} of the node on {@code port} ({@code ok}, {@code fail}), or "". */
  static String state(int port) {
    try {
      return field(Resp.call(port, "CLUSTER", "INFO"), "cluster_state:");
    } catch (IOException e) {
      return "";
    }
  }

  /** The replication state of the master on {@code port}, from {@code INFO replication}. */
  static Replication replication(int port) {
    String info;
    try {
      info = Resp.call(port, "INFO", "replication");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Long> online = new ArrayList<>();
    for (String line : info.split("\r?\n")) {
      if (line.matches("slave\\d+:.*") && line.contains("state=online")) {
        online.add(Long.parseLong(field(line.replace(',', '\n'), "offset=")));
      }
    }
    return new Replication(Long.parseLong(field(info, "master_repl_offset:")), online);
  }

  static List<Node> parse(String table) {
    List<Node> nodes = new ArrayList<>();
    for (String line : table.split("\r?\n")) {
      String[] fields = line.trim().split(" ");
      if (fields.length < 8) {
        continue;
      }
      String address = fields[1];
      int port = Integer.parseInt(address.substring(address.indexOf(':') + 1).split("[@,]")[0]);
      List<String> flags = List.of(fields[2].split(","));
      List<int[]> slots = new ArrayList<>();
      for (int i = 8; i < fields.length; i++) {
        if (!fields[i].startsWith("[")) {
          String[] range = fields[i].split("-");
          int from = Integer.parseInt(range[0]);
          slots.add(new int[] {from, range.length > 1 ? Integer.parseInt(range[1]) : from});
        }
      }
      boolean failed = flags.contains("fail") || flags.contains("fail?");
      nodes.add(new Node(port, flags.contains("master"), failed, slots));
    }
    return nodes;
  }

  private static String field(String text, String prefix) {
    for (String line : text.split("\r?\n")) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).trim();
      }
    }
    return "";
  }
}
