package io.funnelflow.aggregator.privacy;

import io.funnelflow.aggregator.downstream.Downstream;
import io.funnelflow.aggregator.live.LiveFeed;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The participants of an erasure and an export. Another store of personal data takes part by adding one
 * {@link ErasureParticipant} bean here (or anywhere): {@link PersonalData} asks every one of them.
 */
@Factory
public class PrivacyBeans {

    /** Writes the erasure's commands (suppression, stream erasures); acknowledged by every replica before an answer. */
    @Singleton
    @Named("privacy")
    @Bean(preDestroy = "close")
    Producer<byte[], byte[]> privacyProducer(@Value("${funnelflow.kafka.bootstrap}") String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, "aggregator-privacy",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Singleton
    ErasureParticipant suppressionParticipant(@Named("privacy") Producer<byte[], byte[]> producer) {
        return new SuppressionParticipant(producer, Clock.systemUTC());
    }

    @Singleton
    ErasureParticipant streamParticipant(@Named("privacy") Producer<byte[], byte[]> producer) {
        return new StreamParticipant(producer, Clock.systemUTC());
    }

    @Singleton
    ErasureParticipant storedRowsParticipant(DataSource dataSource) {
        return new StoredRowsParticipant(dataSource);
    }

    @Singleton
    ErasureParticipant predictionParticipant(@Named("prediction") Downstream prediction) {
        return new PredictionParticipant(prediction);
    }

    @Singleton
    ErasureParticipant crmParticipant(@Named("crm") Downstream crm) {
        return new CrmParticipant(crm);
    }

    @Singleton
    ErasureParticipant liveFeedParticipant(LiveFeed feed) {
        return new LiveFeedParticipant(feed);
    }

    @Singleton
    PersonalData personalData(DataSource dataSource, LiveFeed feed, List<ErasureParticipant> participants) {
        return new PersonalData(new PersonLocator(dataSource, feed), participants, Clock.systemUTC());
    }
}
