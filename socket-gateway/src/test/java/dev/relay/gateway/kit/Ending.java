package dev.relay.gateway.kit;

import java.util.List;

/**
 * How the server ended a connection, as its client saw it.
 *
 * @param closeCode the WebSocket close code; 1006 when the TCP connection ended without a close
 *     frame
 * @param errorCodes codes of the {@code error} messages (JSON) or {@code error} events (Socket.IO)
 *     received since the last expectation, in order
 * @param disconnectPacket Socket.IO: a DISCONNECT packet ({@code 41}) came before the transport
 *     closed, so the stock client does not reconnect by itself; always false for JSON
 * @param events how many events were read since the last expectation
 */
public record Ending(
    int closeCode, List<String> errorCodes, boolean disconnectPacket, int events) {}
