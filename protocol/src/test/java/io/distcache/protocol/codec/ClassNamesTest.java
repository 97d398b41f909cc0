package io.distcache.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassNamesTest {

  @Test
  void elementNamesOfArrayDescriptors() {
    assertThat(ClassNames.elementName("[[Lcom.acme.Foo;")).isEqualTo("com.acme.Foo");
    assertThat(ClassNames.elementName("[Z")).isEqualTo("boolean");
    assertThat(ClassNames.elementName("com.acme.Foo")).isEqualTo("com.acme.Foo");
  }
}
