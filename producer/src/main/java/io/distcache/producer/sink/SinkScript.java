package io.distcache.producer.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A Lua script of the sink, shipped next to this class, with the SHA-1 {@code EVALSHA} needs. */
record SinkScript(String name, String source, String sha) {

  static SinkScript load(String name) {
    try (InputStream in = SinkScript.class.getResourceAsStream(name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("script resource " + name + ".lua is missing from the producer jar");
      }
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new SinkScript(name, source, HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read script " + name, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by the Java platform", e);
    }
  }
}
