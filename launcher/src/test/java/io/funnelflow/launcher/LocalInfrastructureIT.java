package io.funnelflow.launcher;

import io.funnelflow.contract.topic.Topic;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The local stack's broker and database keep their data across a restart, as `./funnelflow up` promises. */
class LocalInfrastructureIT {

    @TempDir
    Path dir;

    @Test
    void postgresKeepsItsDataAcrossRestarts() throws Exception {
        Path data = dir.resolve("pg");
        try (LocalPostgres pg = LocalPostgres.start(data, 0, "funnelflow");
             Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v int)");
            s.execute("INSERT INTO kept VALUES (42)");
        }
        try (LocalPostgres pg = LocalPostgres.start(data, 0, "funnelflow");
             Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void kafkaComesBackOnTheSamePortWithItsTopics() throws Exception {
        try (LocalKafka kafka = LocalKafka.onFreePorts(dir.resolve("kafka"))) {
            kafka.start();
            kafka.createTopics(Topics.DEFAULT_PARTITIONS);
            kafka.stop();
            assertThat(Ports.inUse(kafka.port())).isFalse();
            kafka.start();
            try (Admin admin = kafka.admin()) {
                assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
                        .containsAll(Topics.ALL.stream().map(Topic::name).toList());
                assertThat(admin.describeTopics(java.util.List.of(Topics.EVENTS.name())).allTopicNames()
                        .get(10, TimeUnit.SECONDS).get(Topics.EVENTS.name()).partitions()).hasSize(6);
            }
        }
    }
}
