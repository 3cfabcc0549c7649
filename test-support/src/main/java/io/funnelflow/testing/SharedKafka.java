package io.funnelflow.testing;

import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.testcontainers.kafka.KafkaContainer;

import java.util.Map;

/**
 * The one real Kafka broker of a test JVM, started on first use and stopped when the test run ends
 * ({@link SharedInfrastructureListener}), or at the latest when the JVM exits.
 *
 * <p>{@code TEST_KAFKA_BOOTSTRAP} points the tests at an existing broker instead; where Docker runs
 * (and {@code FUNNELFLOW_TEST_CONTAINERS} is not {@code false}) a Testcontainers broker is used;
 * otherwise Kafka's own in-JVM KRaft test kit, one combined node. The platform's topics exist on it.
 */
public final class SharedKafka {

    private static String bootstrap;
    private static AutoCloseable running;

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrap == null) {
            bootstrap = start();
            try (Admin admin = admin()) {
                Topics.ensureCreated(admin, Topics.DEFAULT_PARTITIONS, (short) 1);
            } catch (Exception e) {
                throw new IllegalStateException("Cannot create the platform's topics on " + bootstrap, e);
            }
        }
        return bootstrap;
    }

    /**
     * Deletes the platform's topics and creates them again, empty: for an IT that holds what its services
     * stored to everything on the topics, when other ITs of the same JVM have written to them before. Call
     * it before starting any service.
     */
    public static synchronized void freshTopics() {
        java.util.Set<String> ours = new java.util.HashSet<>();
        Topics.ALL.forEach(t -> ours.add(t.name()));
        try (Admin admin = admin()) {
            admin.deleteTopics(ours).all().get(60, java.util.concurrent.TimeUnit.SECONDS);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .pollInterval(java.time.Duration.ofMillis(200))
                    .until(() -> java.util.Collections.disjoint(admin.listTopics().names().get(), ours));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .pollInterval(java.time.Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                        Topics.ensureCreated(admin, Topics.DEFAULT_PARTITIONS, (short) 1);
                        return admin.listTopics().names().get().containsAll(ours);
                    });
        } catch (Exception e) {
            throw new IllegalStateException("Cannot recreate the platform's topics on " + bootstrap, e);
        }
    }

    public static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers0()));
    }

    private static String bootstrapServers0() {
        return bootstrap != null ? bootstrap : bootstrapServers();
    }

    /** Stops the broker if this JVM started one; later calls do nothing. */
    static synchronized void stop() {
        AutoCloseable broker = running;
        running = null;
        bootstrap = null;
        if (broker != null) {
            try {
                broker.close();
            } catch (Exception e) {
                System.err.println("Stopping the Kafka test broker failed: " + e);
            }
        }
    }

    private static String start() {
        String external = System.getenv("TEST_KAFKA_BOOTSTRAP");
        if (external != null && !external.isBlank()) {
            return external;
        }
        if (Infrastructure.useContainers()) {
            KafkaContainer container = new KafkaContainer("apache/kafka-native:" + Infrastructure.KAFKA_IMAGE_TAG);
            container.start();
            running = container::stop;
            Runtime.getRuntime().addShutdownHook(new Thread(SharedKafka::stop, "stop-kafka-container"));
            return container.getBootstrapServers();
        }
        // The test kit's log directories are deleted by a shutdown hook of its own. Should that race
        // a broker still running, the broker finds its log directories gone and halts the JVM with
        // status 1, failing a run whose tests all passed. Kafka's own tests guard the same way: a
        // broker may end its work, never the test JVM.
        Exit.setHaltProcedure((status, message) -> System.err.println(
                "The Kafka test broker asked to halt the JVM (status " + status + "): " + message));
        Exit.setExitProcedure((status, message) -> System.err.println(
                "The Kafka test broker asked to exit the JVM (status " + status + "): " + message));
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumControllerNodes(1)
                    .setNumBrokerNodes(1)
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .build())
                    // one node: internal topics with one replica, or consumer groups and transactions never start
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "4")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            running = cluster;
            Runtime.getRuntime().addShutdownHook(new Thread(SharedKafka::stop, "stop-kafka-test-kit"));
            return cluster.bootstrapServers();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the in-JVM Kafka test broker", e);
        }
    }
}
