package io.distcache.producer.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's demo command, run in-process: it must tell the whole story and succeed. */
class DemoTest {

  @Test
  void theDemoShowsBackloadUpdateAndDeleteThroughJavaxCache() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    boolean ok;
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      ok = Demo.run(500, out);
    }
    String story = buffer.toString(StandardCharsets.UTF_8);
    assertThat(ok).as(story).isTrue();
    assertThat(story)
        .contains("published 500 users")
        .contains("backload done, 500 users in namespace users")
        .contains("live update arrived").contains("displayName=User 42 (renamed)").contains("tier=gold")
        .contains("delete arrived").contains("users.get(\"user:7\") = null")
        .doesNotContain("password_hash", "not-for-edges")
        .contains("stopped Kafka, redis-server and the producer");
  }
}
