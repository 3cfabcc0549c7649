package io.funnelflow.crm.store;

import io.funnelflow.contract.lead.LeadCommand;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.service.problem.Problems;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends commands to the lead lifecycle ({@code funnelflow.crm.commands}, keyed by lead id): acks=all,
 * idempotent; a call returns once Kafka has every command, or fails as a 503 with Retry-After.
 */
public final class CommandPublisher implements AutoCloseable {

    private final KafkaProducer<String, LeadCommand> producer;
    private final Duration timeout;

    public CommandPublisher(String bootstrap, Duration timeout) {
        this.timeout = timeout;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, "crm-commands",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // Kafka asks delivery >= linger + request timeout
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() + 5,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis()),
                Topics.CRM_COMMANDS.keySerde().serializer(), Topics.CRM_COMMANDS.valueSerde().serializer());
    }

    /** Sends every command and waits until Kafka has acknowledged them all. */
    public void send(List<LeadCommand> commands) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(commands.size());
        try {
            for (LeadCommand c : commands) {
                sent.add(producer.send(new ProducerRecord<>(Topics.CRM_COMMANDS.name(), c.leadId(), c)));
            }
            long deadline = System.nanoTime() + timeout.toNanos() + 1_000_000_000L;
            for (Future<RecordMetadata> f : sent) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw Problems.unavailable("event stream unavailable", 5)
                    .reason("Kafka did not acknowledge the command within " + timeout.toSeconds() + " s; nothing was lost: retry").exception();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problems.unavailable("event stream unavailable", 5).reason("interrupted while waiting for Kafka").exception();
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
