package io.distcache.protocol.script;

import static org.assertj.core.api.Assertions.assertThat;

import io.distcache.protocol.script.edge.EdgeScripts;
import io.distcache.protocol.script.sink.SinkScripts;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every script the provider and the producer run, as the protocol ships them: each compiles in a real redis-server
 * under the SHA-1 {@code EVALSHA} is given, every resource in a catalog's folder is run or included, and only
 * {@code changelog.lua} writes change-log records.
 */
class ScriptCatalogTest {

  private static final Pattern INCLUDE = Pattern.compile("^--#include ([a-z-]+)$", Pattern.MULTILINE);

  @StartedRedis
  static RedisServer redis;

  @ParameterizedTest
  @ValueSource(classes = {EdgeScripts.class, SinkScripts.class})
  void everyScriptCompilesInRedisUnderItsSha(Class<?> catalog) throws Exception {
    for (LuaScript script : scripts(catalog)) {
      assertThat(redis.command("SCRIPT", "LOAD", script.source())).as(script.name()).isEqualTo(script.sha());
    }
  }

  @ParameterizedTest
  @ValueSource(classes = {EdgeScripts.class, SinkScripts.class})
  void everyResourceOfACatalogIsRunOrIncluded(Class<?> catalog) throws Exception {
    Set<String> used = new TreeSet<>();
    for (LuaScript script : scripts(catalog)) {
      used.add(script.name());
      used.addAll(includes(catalog, script.name()));
    }

    assertThat(resources(catalog)).containsExactlyInAnyOrderElementsOf(used);
  }

  @ParameterizedTest
  @ValueSource(classes = {EdgeScripts.class, SinkScripts.class})
  void onlyChangelogLuaWritesTheChangeLog(Class<?> catalog) throws Exception {
    for (String name : resources(catalog)) {
      assertThat(read(catalog, name)).as(name + ".lua").doesNotContainIgnoringCase("XADD");
    }
    assertThat(read(LuaScript.class, "changelog")).contains("XADD");
  }

  private static List<LuaScript> scripts(Class<?> catalog) throws IllegalAccessException {
    List<LuaScript> scripts = new ArrayList<>();
    for (Field field : catalog.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == LuaScript.class) {
        scripts.add((LuaScript) field.get(null));
      }
    }
    assertThat(scripts).as("scripts of %s", catalog.getSimpleName()).isNotEmpty();
    return scripts;
  }

  /** The includes of a script found next to the catalog, transitively (changelog.lua lives one folder up). */
  private static Set<String> includes(Class<?> catalog, String name) throws IOException {
    Set<String> found = new TreeSet<>();
    Matcher include = INCLUDE.matcher(read(catalog, name));
    while (include.find()) {
      String included = include.group(1);
      if (catalog.getResource(included + ".lua") != null && found.add(included)) {
        found.addAll(includes(catalog, included));
      }
    }
    return found;
  }

  private static Set<String> resources(Class<?> catalog)
      throws IOException, URISyntaxException, IllegalAccessException {
    // the folder of one of its scripts: resources may sit apart from classes (an IDE's output folders)
    String first = scripts(catalog).get(0).name() + ".lua";
    Path folder = Path.of(catalog.getResource(first).toURI()).getParent();
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.list(folder)) {
      files.map(file -> file.getFileName().toString()).filter(file -> file.endsWith(".lua"))
          .forEach(file -> names.add(file.substring(0, file.length() - ".lua".length())));
    }
    return names;
  }

  private static String read(Class<?> owner, String name) throws IOException {
    try (InputStream in = owner.getResourceAsStream(name + ".lua")) {
      assertThat(in).as(name + ".lua next to " + owner.getName()).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
