package io.distcache.it.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;

/**
 * META-INF-samples/javax.cache.spi.CachingProvider (for fat jars that merge service files) names exactly the
 * provider the distcache jar registers, and ServiceLoader instantiates it.
 */
class ServicesFileSampleTest {

  private static final String SERVICES = "META-INF/services/javax.cache.spi.CachingProvider";

  @Test
  void theSampleNamesTheRegisteredProvider() throws IOException {
    List<String> sample = classNames(Files.readString(Samples.DIRECTORY.resolve("javax.cache.spi.CachingProvider")));

    List<String> registered = new ArrayList<>();
    for (URL url : Collections.list(getClass().getClassLoader().getResources(SERVICES))) {
      try (InputStream in = url.openStream()) {
        registered.addAll(classNames(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    List<String> loaded = ServiceLoader.load(CachingProvider.class).stream()
        .map(provider -> provider.type().getName()).toList();

    assertThat(sample).containsExactly("io.distcache.jcache.spi.DistCachingProvider");
    assertThat(registered).isEqualTo(sample);
    assertThat(loaded).isEqualTo(sample);
  }

  private static List<String> classNames(String servicesFile) {
    return servicesFile.lines().map(line -> line.replaceFirst("#.*", "").strip()).filter(line -> !line.isEmpty())
        .toList();
  }
}
