package io.distcache.protocol.codec.forbidden;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/** A serializable class outside the test allow-list; counts how often Java deserialization reaches it. */
public final class SerializableGadget implements Serializable {

  public static final AtomicInteger READS = new AtomicInteger();

  private final String command = "calc.exe";

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    READS.incrementAndGet();
  }

  public String command() {
    return command;
  }
}
