package dev.relay.service.net;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Set;

/**
 * Finds the client's IP for per-IP limits. {@code X-Forwarded-For} is believed only when the peer
 * is a configured trusted proxy ({@code RELAY_TRUSTED_PROXIES}); then the rightmost address that is
 * not itself a trusted proxy is the client. Otherwise the peer address is the client, so a client
 * cannot dodge its limit by sending the header itself.
 */
public final class ClientAddress {

  private final Set<String> trustedProxies;

  public ClientAddress(List<String> trustedProxies) {
    this.trustedProxies = Set.copyOf(trustedProxies);
  }

  /** The IP text of a connection's peer address, or null when it has none (not an IP socket). */
  public static String peerIp(SocketAddress remote) {
    return remote instanceof InetSocketAddress address && address.getAddress() != null
        ? address.getAddress().getHostAddress()
        : null;
  }

  public String resolve(String peerIp, String forwardedFor) {
    if (forwardedFor == null || !trustedProxies.contains(peerIp)) {
      return peerIp;
    }
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].strip();
      if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
        return hop;
      }
    }
    return peerIp;
  }
}
