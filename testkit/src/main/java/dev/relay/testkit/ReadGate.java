package dev.relay.testkit;

import java.net.http.WebSocket;

/**
 * Lets a JDK {@link WebSocket} listener stop reading: while paused it withholds the demand for the
 * next frame, so the JDK client stops reading TCP once its small buffer is full and the server sees
 * a peer that does not read (a slow consumer). Thread-safe.
 */
public final class ReadGate {

  private boolean paused;
  private boolean owed;

  public synchronized void pause() {
    paused = true;
  }

  /** Reads again: requests the frame withheld while paused, if any. */
  public synchronized void resume(WebSocket ws) {
    paused = false;
    if (owed) {
      owed = false;
      ws.request(1);
    }
  }

  /** Requests the next frame now, or once resumed. */
  public synchronized void next(WebSocket ws) {
    if (paused) {
      owed = true;
    } else {
      ws.request(1);
    }
  }
}
