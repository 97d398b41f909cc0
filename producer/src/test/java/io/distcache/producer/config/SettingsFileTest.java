package io.distcache.producer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.producer.projection.OffsetRegressionPolicy;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.projection.TruncateMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsFileTest {

  @Test
  void theSampleConfigurationLoads() {
    ProducerSettings settings = SettingsFile.read(Path.of("..", "META-INF-samples", "producer.properties"));
    assertThat(settings.kafka()).containsEntry("bootstrap.servers", "kafka-1.internal:9092,kafka-2.internal:9092");
    assertThat(settings.redis().uri()).isEqualTo("redis://redis-master.internal:6379");
    assertThat(settings.redis().cluster()).isFalse();
    assertThat(settings.redis().replicaAcks()).isZero();
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
    assertThat(users.maxValueBytes()).isEqualTo(1024 * 1024);
    assertThat(users.onOffsetRegression()).isEqualTo(OffsetRegressionPolicy.REBUILD);
    assertThat(settings.claimTime()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.httpBindAddress()).isEqualTo("0.0.0.0");
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
    assertThat(projection.group()).as("one writer, the others standing by").isNull();
  }

  @Test
  void aConsumerGroupIsAKafkaGroupIdOnASingleMasterWithRebuildsOutOfPlace() {
    Properties grouped = minimal();
    grouped.setProperty("projection[p].group", "distcache-users");
    assertThat(SettingsFile.parse(grouped, "f.properties").projections().get(0).group()).isEqualTo("distcache-users");

    grouped.setProperty("projection[p].group", "two words");
    assertThatThrownBy(() -> SettingsFile.parse(grouped, "f.properties"))
        .isInstanceOf(ProducerConfigurationException.class).hasMessageContaining("'projection[p].group' = 'two words'");

    grouped.setProperty("projection[p].group", "distcache-users");
    grouped.setProperty("redis.cluster", "true");
    assertThatThrownBy(() -> SettingsFile.parse(grouped, "f.properties"))
        .isInstanceOf(ProducerConfigurationException.class).hasMessageContaining("'projection[p].group'")
        .hasMessageContaining("redis.cluster = true");

    grouped.setProperty("redis.cluster", "false");
    grouped.setProperty("projection[p].rebuild", "in-place");
    assertThatThrownBy(() -> SettingsFile.parse(grouped, "f.properties"))
        .isInstanceOf(ProducerConfigurationException.class).hasMessageContaining("'projection[p].group'")
        .hasMessageContaining("rebuild = in-place");
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
    assertThat(SettingsFile.parse(minimal(), "test").redis().cluster()).isFalse();
    Properties cluster = minimal();
    cluster.setProperty("redis.cluster", "TRUE");
    ProducerSettings settings = SettingsFile.parse(cluster, "test");
    assertThat(settings.redis().cluster()).isTrue();
    assertThat(settings.redis().replicaAcks()).isZero();
    assertThat(settings.toString()).contains("redis://localhost:7000 (cluster)");
    cluster.setProperty("redis.cluster.replica-acks", "1");
    assertThat(SettingsFile.parse(cluster, "test").redis().replicaAcks()).isEqualTo(1);
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
    assertThat(SettingsFile.parse(database, "f.properties").redis().cluster()).isTrue();
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

  @Test
  void secretsComeFromTheEnvironmentOrFilesAndErrorsNameOnlyTheKey(@TempDir Path dir) throws Exception {
    Path password = Files.writeString(dir.resolve("redis-password"), "fr0m-a-f1le\n");
    Path kafkaSecrets = Files.writeString(dir.resolve("kafka.properties"), "jaas = ScramLoginModule required;\n");
    Properties props = minimal();
    props.setProperty("redis.uri", "redis://app:${file:" + password + "}@redis:6379");
    props.setProperty("kafka.sasl.jaas.config", "${file:" + kafkaSecrets + ":jaas}");
    props.setProperty("kafka.ssl.truststore.password", "${env:TRUST_PASSWORD}");
    Map<String, String> environment = Map.of("TRUST_PASSWORD", "fr0m-the-env");
    ProducerSettings settings = SettingsFile.parse(props, "f.properties", environment::get);
    assertThat(settings.redis().uri()).isEqualTo("redis://app:fr0m-a-f1le@redis:6379");
    assertThat(settings.kafka()).containsEntry("sasl.jaas.config", "ScramLoginModule required;")
        .containsEntry("ssl.truststore.password", "fr0m-the-env");
    assertThat(settings.toString()).doesNotContain("fr0m-a-f1le", "fr0m-the-env", "ScramLoginModule");

    assertThatThrownBy(() -> SettingsFile.parse(props, "f.properties", name -> null))
        .isInstanceOf(ProducerConfigurationException.class)
        .hasMessage("f.properties: 'kafka.ssl.truststore.password' refers to ${env:TRUST_PASSWORD}, but the"
            + " environment variable TRUST_PASSWORD is not set");
    props.setProperty("kafka.sasl.jaas.config", "${file:" + kafkaSecrets + ":missing}");
    assertThatThrownBy(() -> SettingsFile.parse(props, "f.properties", environment::get))
        .hasMessageContaining("'kafka.sasl.jaas.config'").hasMessageContaining("has no key 'missing'")
        .hasMessageNotContaining("ScramLoginModule");
    props.setProperty("kafka.sasl.jaas.config", "${file:" + dir.resolve("absent") + "}");
    assertThatThrownBy(() -> SettingsFile.parse(props, "f.properties", environment::get))
        .hasMessageContaining("cannot be read");
  }

  @Test
  void durationsAndSizesUseTheProvidersGrammar() {
    Properties props = minimal();
    props.setProperty("projection[p].tombstone-ttl", "PT2H");
    props.setProperty("projection[p].max-value-bytes", "64KiB");
    props.setProperty("codec.compression-threshold", "2KB");
    props.setProperty("redis.command-timeout", "1500ms");
    props.setProperty("writer.claim-time", "3s");
    ProducerSettings settings = SettingsFile.parse(props, "test");
    assertThat(settings.projections().get(0).tombstoneTtl()).isEqualTo(Duration.ofHours(2));
    assertThat(settings.projections().get(0).maxValueBytes()).isEqualTo(64 * 1024);
    assertThat(settings.compressionThreshold()).isEqualTo(2000);
    assertThat(settings.redis().commandTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(settings.claimTime()).isEqualTo(Duration.ofSeconds(3));
    props.setProperty("projection[p].max-value-bytes", "64 bananas");
    assertThatThrownBy(() -> SettingsFile.parse(props, "f.properties"))
        .hasMessageContaining("'projection[p].max-value-bytes' = '64 bananas'").hasMessageContaining("KiB");
  }

  @Test
  void sentinelUrisNeedTheMastersNameAndTrustStoresMustExist() {
    Properties props = minimal();
    props.setProperty("redis.uri", "redis-sentinel://s1:26379,s2:26379#mymaster");
    assertThat(SettingsFile.parse(props, "test").redis().sentinel()).isTrue();
    props.setProperty("redis.uri", "redis-sentinel://s1:26379,s2:26379");
    assertThatThrownBy(() -> SettingsFile.parse(props, "f.properties")).hasMessageContaining("#<master name>");
    props.setProperty("redis.uri", "redis-sentinel://s1:26379#mymaster");
    props.setProperty("redis.cluster", "true");
    assertThatThrownBy(() -> SettingsFile.parse(props, "f.properties")).hasMessageContaining("redis-sentinel://");
    Properties tls = minimal();
    tls.setProperty("redis.uri", "rediss://redis:6380");
    tls.setProperty("redis.tls.trust-store", "/no/such/trust.p12");
    assertThatThrownBy(() -> SettingsFile.parse(tls, "f.properties"))
        .hasMessageContaining("'redis.tls.trust-store' = '/no/such/trust.p12' is not a readable file");
  }

  @Test
  void everyKeyIsDocumentedInTheProducerGuide() throws Exception {
    String guide = Files.readString(Path.of("..", "docs", "producer.md"));
    for (String key : SettingsFile.TOP_LEVEL) {
      assertThat(guide).as("docs/producer.md documents %s", key).contains("| `" + key + "` |");
    }
    for (String key : SettingsFile.PROJECTION_KEYS) {
      assertThat(guide).as("docs/producer.md documents projection[<name>].%s", key)
          .contains("| `projection[<name>]." + key + "` |");
    }
  }

  private static Properties minimal() {
    Properties props = new Properties();
    props.setProperty("kafka.bootstrap.servers", "localhost:9092");
    props.setProperty("redis.uri", "redis://localhost:7000");
    props.setProperty("projection[p].topic", "t");
    return props;
  }
}
