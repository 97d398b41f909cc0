package io.distcache.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picks loopback ports that are free at the time of the call. */
public final class FreePorts {

  /** The default Redis port, never handed out so a system-wide redis cannot be hit by mistake. */
  static final int DEFAULT_REDIS_PORT = 6379;
  private static final int ATTEMPTS = 10;

  private FreePorts() {
  }

  /**
   * Lets the kernel choose a free port by binding to port 0 and releasing it. Another process
   * may take the port before the server binds it; callers retry with a new port on that race.
   */
  public static int find() {
    IOException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = socket.getLocalPort();
        if (port != DEFAULT_REDIS_PORT) {
          return port;
        }
      } catch (IOException e) {
        last = e;
      }
    }
    throw new UncheckedIOException(new IOException("No free loopback port after " + ATTEMPTS + " attempts", last));
  }

  /**
   * A free port whose companion {@code port + offset} is free too (a Redis Cluster node's bus
   * port), both below 65536.
   */
  static int findWithOffsetFree(int offset) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = find();
      if (port + offset <= 65535 && isFree(port + offset)) {
        return port;
      }
    }
    throw new UncheckedIOException(new IOException("No free loopback port with a free port +" + offset));
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
