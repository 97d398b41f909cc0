package io.distcache.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distcache.producer.config.SettingsFile;
import io.distcache.producer.projection.ProjectionSettings;
import io.distcache.producer.source.SourceIdentity;
import io.distcache.protocol.namespace.Namespace;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** When a namespace's stored offsets stop describing its topic, and what the projection may do then. */
class TopicChecksTest {

  private static final SourceIdentity TOPIC = new SourceIdentity("id-1", 2);
  private static final Map<Integer, Long> ENDS = Map.of(0, 100L, 1, 50L);

  private static ProjectionSettings settings(String onOffsetRegression) {
    Properties props = new Properties();
    props.setProperty("kafka.bootstrap.servers", "localhost:9092");
    props.setProperty("redis.uri", "redis://localhost:7000");
    props.setProperty("projection[users].topic", "users");
    props.setProperty("projection[users].format", "json");
    props.setProperty("projection[users].key-template", "user:{id}");
    props.setProperty("projection[users].on-offset-regression", onOffsetRegression);
    return SettingsFile.parse(props, "test").projections().get(0);
  }

  private static TopicChecks checks(String onOffsetRegression) {
    return new TopicChecks(settings(onOffsetRegression), Namespace.of("app", "users"));
  }

  @Test
  void offsetsWithinEachPartitionsLogDescribeTheTopic() {
    assertThat(TopicChecks.regression(TOPIC, TOPIC, Map.of(0, 100L, 1, 7L), ENDS, Map.of(0, 0L, 1, 7L))).isNull();
    assertThat(TopicChecks.regression(TOPIC, TOPIC, Map.of(), ENDS, Map.of())).as("nothing stored yet").isNull();
  }

  @Test
  void aRecreatedTopicALostTailAVanishedPartitionAndDeletedRecordsAreRegressions() {
    assertThat(TopicChecks.regression(new SourceIdentity("id-2", 2), TOPIC, Map.of(0, 1L), ENDS, Map.of()))
        .contains("deleted and created again");
    assertThat(TopicChecks.regression(TOPIC, TOPIC, Map.of(1, 51L), ENDS, Map.of()))
        .contains("partition 1 ends at offset 50, below the stored next offset 51");
    assertThat(TopicChecks.regression(TOPIC, TOPIC, Map.of(2, 1L), ENDS, Map.of()))
        .contains("partition 2 has a stored offset but no longer exists");
    assertThat(TopicChecks.regression(TOPIC, TOPIC, Map.of(0, 10L), ENDS, Map.of(0, 11L)))
        .contains("partition 0 now starts at offset 11, after the stored next offset 10");
  }

  @Test
  void aRegressionStopsTheProjectionOnlyWhenThePolicySaysFail() {
    assertThatCode(() -> checks("rebuild").refuseRegression("the log lost its tail", true)).doesNotThrowAnyException();
    assertThatCode(() -> checks("fail").refuseRegression("an operator asked", false)).doesNotThrowAnyException();
    assertThatThrownBy(() -> checks("fail").refuseRegression("the log lost its tail", true))
        .isInstanceOf(ProjectionRefusedException.class)
        .hasMessageContaining("the log lost its tail")
        .hasMessageContaining("projection[users].on-offset-regression = fail");
  }

  @Test
  void aTopicThatGainedPartitionsStopsTheProjectionWhateverThePolicy() {
    assertThatThrownBy(() -> checks("rebuild").refuseRepartitioned(new SourceIdentity("id-1", 3), TOPIC))
        .isInstanceOf(ProjectionRefusedException.class)
        .hasMessageContaining("topic 'users' now has 3 partitions, not the 2");
    assertThatCode(() -> checks("rebuild").refuseRepartitioned(TOPIC, TOPIC)).doesNotThrowAnyException();
  }
}
