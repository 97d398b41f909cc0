package io.distcache.protocol.codec.forbidden;

import java.util.concurrent.atomic.AtomicInteger;

/** A class outside the test allow-list; counts its instantiations. */
public final class Gadget {

  public static final AtomicInteger CREATED = new AtomicInteger();

  private String command = "rm -rf /";

  public Gadget() {
    CREATED.incrementAndGet();
  }

  public String command() {
    return command;
  }
}
