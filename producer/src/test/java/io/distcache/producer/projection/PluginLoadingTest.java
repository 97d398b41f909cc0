package io.distcache.producer.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLoadingTest {

  @Test
  void aProjectionListedInAPluginJarIsFoundByItsFormat(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("upper-names.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("META-INF/services/" + Projection.class.getName()));
      out.write((UpperCaseNames.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    assertThat(Projections.load(getClass().getClassLoader()).find("upper-names")).isNull();
    try (URLClassLoader plugins = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
      Projections projections = Projections.load(plugins);
      assertThat(projections.formats()).contains("json", "debezium", "flattened", "upper-names");
      Change change = projections.find("upper-names").project(
          ProjectionFormatsTest.record("{\"id\":1}", "{\"id\":1,\"name\":\"ann\"}"),
          io.distcache.producer.config.SettingsFile.parse(properties(), "test").projections().get(0));
      assertThat(change).isEqualTo(new Change.Upsert("user:1", Map.of("id", 1L, "name", "ANN")));
    }
  }

  private static java.util.Properties properties() {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("kafka.bootstrap.servers", "localhost:9092");
    props.setProperty("redis.uri", "redis://localhost:7000");
    props.setProperty("projection[p].topic", "t");
    props.setProperty("projection[p].key-template", "user:{id}");
    return props;
  }
}
