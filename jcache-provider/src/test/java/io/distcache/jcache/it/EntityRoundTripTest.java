package io.distcache.jcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.jcache.it.model.Order;
import io.distcache.protocol.codec.ClassNotAllowedException;
import io.distcache.testkit.RedisServer;
import io.distcache.testkit.junit.StartedRedis;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/** Entity-like values cross CacheManagers intact, and only when the reader allows their classes. */
class EntityRoundTripTest {

  @StartedRedis
  private static RedisServer redis;

  @Test
  void entityWrittenOnOneManagerReadsBackEqualOnAnother() {
    try (Nodes nodes = new Nodes(redis.uri(), "it-entity")) {
      // Object-typed caches: the model package is allowed through codec.allowed-packages only.
      Cache<Object, Object> writer = nodes.node().createCache("orders", new MutableConfiguration<>());
      Cache<Object, Object> reader = nodes.node().createCache("orders", new MutableConfiguration<>());
      Order order = order();

      writer.put(order.id(), order);
      Object read = reader.get(order.id());

      assertThat(read).isInstanceOf(Order.class).isNotSameAs(order);
      assertThat(read).usingRecursiveComparison().isEqualTo(order);
      assertThat(read).isEqualTo(order);
      Order copy = (Order) read;
      assertThat(copy.paidAt().getOffset()).isEqualTo(order.paidAt().getOffset());
      assertThat(copy.total().scale()).isEqualTo(order.total().scale());
      assertThat(copy.status()).isSameAs(Order.Status.PAID);
    }
  }

  @Test
  void managerNotAllowingTheClassRefusesThePayloadAndNamesTheClass() {
    try (Nodes nodes = new Nodes(redis.uri(), "it-entity-refused")) {
      Cache<Object, Object> writer = nodes.node().createCache("orders", new MutableConfiguration<>());
      Cache<Object, Object> reader = nodes.node("codec.allowed-packages", "com.example.other")
          .createCache("orders", new MutableConfiguration<>());
      Order order = order();
      writer.put("order-1", order);

      assertThatThrownBy(() -> reader.get("order-1"))
          .isInstanceOf(ClassNotAllowedException.class)
          .isInstanceOf(CacheException.class)
          .hasMessageContaining(Order.class.getName())
          .hasMessageContaining("codec.allowed-packages");
      assertThat(Nodes.dist(reader).nearCopy("order-1")).as("nothing refused is cached").isNull();
      // The writer, which allows the class, still reads it.
      assertThat(writer.get("order-1")).isEqualTo(order);
    }
  }

  private static Order order() {
    return new Order(UUID.fromString("3f2504e0-4f89-41d3-9a0c-0305e82c3301"), new BigDecimal("1234.50"),
        LocalDate.of(2026, 3, 14), Instant.parse("2026-03-01T10:15:30.123456789Z"),
        OffsetDateTime.of(2026, 3, 2, 8, 0, 0, 0, ZoneOffset.ofHours(-5)), Order.Status.PAID,
        new Order.Address("1 Main St", "Springfield", "US"),
        List.of(new Order.Line("SKU-1", 2, new BigDecimal("100.25")), new Order.Line("SKU-2", 1, new BigDecimal("1034.00"))));
  }
}
