package io.distcache.producer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.TruncateMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsFileTest {

  @Test
  void theSampleConfigurationLoads() {
    ProducerSettings settings = SettingsFile.read(Path.of("..", "META-INF-samples", "producer.properties"));
    assertThat(settings.kafka()).containsEntry("bootstrap.servers", "kafka-1.internal:9092,kafka-2.internal:9092");
    assertThat(settings.redisUri()).isEqualTo("redis://redis-master.internal:6379");
    assertThat(settings.redisCluster()).isFalse();
    assertThat(settings.clusterReplicaAcks()).isZero();
    assertThat(settings.keyPrefix()).isEqualTo("dc");
    assertThat(settings.httpPort()).isEqualTo(9400);
    assertThat(settings.projections()).extracting(ProjectionSettings::name).containsExactly("user-tiers", "users");
    ProjectionSettings users = settings.projections().get(1);
    assertThat(users.topic()).isEqualTo("core.users");
    assertThat(users.format()).isEqualTo("debezium");
    assertThat(users.keyTemplate().fields()).containsExactly("id");
    assertThat(users.truncate()).isEqualTo(TruncateMode.CLEAR);
    assertThat(users.dlqTopic()).isEqualTo("core.users.dlq");
    assertThat(users.tombstoneTtl()).isEqualTo(Duration.ofDays(1));
    assertThat(users.batchSize()).isEqualTo(2000);
  }

  @Test
  void defaultsApplyToAMinimalFile() {
    ProjectionSettings projection = SettingsFile.parse(minimal(), "test").projections().get(0);
    assertThat(projection.namespace()).isEqualTo("p");
    assertThat(projection.format()).isEqualTo("json");
    assertThat(projection.truncate()).isEqualTo(TruncateMode.REJECT);
    assertThat(projection.dlqTopic()).isNull();
    assertThat(projection.tombstoneTtl()).isEqualTo(Duration.ofDays(1));
    assertThat(projection.maxValueBytes()).isEqualTo(1024 * 1024);
  }

  @Test
  void unknownKeysAndBadValuesAreErrorsNamingTheKey() {
    Properties typo = minimal();
    typo.setProperty("projection[p].key-templat", "user:{id}");
    assertThatThrownBy(() -> SettingsFile.parse(typo, "f.properties"))
        .isInstanceOf(ProducerConfigurationException.class).hasMessageContaining("projection[p].key-templat");
    Properties badTtl = minimal();
    badTtl.setProperty("projection[p].tombstone-ttl", "soon");
    assertThatThrownBy(() -> SettingsFile.parse(badTtl, "f.properties")).hasMessageContaining("tombstone-ttl");
    Properties noRedis = minimal();
    noRedis.remove("redis.uri");
    assertThatThrownBy(() -> SettingsFile.parse(noRedis, "f.properties")).hasMessageContaining("redis.uri");
    Properties badTemplate = minimal();
    badTemplate.setProperty("projection[p].key-template", "user:{id");
    assertThatThrownBy(() -> SettingsFile.parse(badTemplate, "f.properties")).hasMessageContaining("user:{id");
  }

  @Test
  void redisClusterIsABooleanWithReplicaAcksAndNoDatabase() {
    assertThat(SettingsFile.parse(minimal(), "test").redisCluster()).isFalse();
    Properties cluster = minimal();
    cluster.setProperty("redis.cluster", "TRUE");
    ProducerSettings settings = SettingsFile.parse(cluster, "test");
    assertThat(settings.redisCluster()).isTrue();
    assertThat(settings.clusterReplicaAcks()).isZero();
    assertThat(settings.toString()).contains("redis://localhost:7000 (cluster)");
    cluster.setProperty("redis.cluster.replica-acks", "1");
    assertThat(SettingsFile.parse(cluster, "test").clusterReplicaAcks()).isEqualTo(1);
    cluster.setProperty("redis.cluster.replica-acks", "-1");
    assertThatThrownBy(() -> SettingsFile.parse(cluster, "f.properties"))
        .isInstanceOf(ProducerConfigurationException.class).hasMessageContaining("'redis.cluster.replica-acks' = '-1'");
    Properties acksWithoutCluster = minimal();
    acksWithoutCluster.setProperty("redis.cluster.replica-acks", "1");
    assertThatThrownBy(() -> SettingsFile.parse(acksWithoutCluster, "f.properties"))
        .isInstanceOf(ProducerConfigurationException.class).hasMessageContaining("redis.cluster = true");
    Properties notBoolean = minimal();
    notBoolean.setProperty("redis.cluster", "yes");
    assertThatThrownBy(() -> SettingsFile.parse(notBoolean, "f.properties"))
        .isInstanceOf(ProducerConfigurationException.class).hasMessageContaining("'redis.cluster' = 'yes'")
        .hasMessageContaining("true or false");
    Properties database = minimal();
    database.setProperty("redis.cluster", "true");
    database.setProperty("redis.uri", "redis://app:s3cret@localhost:7000/3");
    assertThatThrownBy(() -> SettingsFile.parse(database, "f.properties"))
        .isInstanceOf(ProducerConfigurationException.class).hasMessageContaining("database 3")
        .hasMessageNotContaining("s3cret");
    database.setProperty("redis.uri", "redis://app:s3cret@h1:7000,h2:7001/2");
    assertThatThrownBy(() -> SettingsFile.parse(database, "f.properties"))
        .isInstanceOf(ProducerConfigurationException.class).hasMessageContaining("database 2");
    database.setProperty("redis.uri", "redis://app:s3cret@h1:7000,h2:7001");
    assertThat(SettingsFile.parse(database, "f.properties").redisCluster()).isTrue();
  }

  @Test
  void secretsNeverAppearInToString() {
    Properties props = minimal();
    props.setProperty("redis.uri", "redis://app:s3cret@redis:6379");
    props.setProperty("kafka.sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"hunter2\";");
    props.setProperty("kafka.ssl.truststore.password", "changeit");
    String shown = SettingsFile.parse(props, "test").toString();
    assertThat(shown).doesNotContain("s3cret", "hunter2", "changeit").contains("redis://app:***@redis:6379");
  }

  private static Properties minimal() {
    Properties props = new Properties();
    props.setProperty("kafka.bootstrap.servers", "localhost:9092");
    props.setProperty("redis.uri", "redis://localhost:7000");
    props.setProperty("projection[p].topic", "t");
    return props;
  }
}
