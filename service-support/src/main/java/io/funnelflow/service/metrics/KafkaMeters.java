package io.funnelflow.service.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts a Kafka client's own metrics (Micrometer's {@code KafkaClientMetrics}, {@code KafkaStreamsMetrics})
 * on {@code /metrics} when the client is made, and stops watching it when the service stops.
 *
 * <p>Not a {@code MeterBinder} bean itself: the registry binds those while it is being created, which would
 * make every client (and the data source a sink needs) a prerequisite of the registry.
 */
@Singleton
public class KafkaMeters {

    private final MeterRegistry registry;
    private final List<AutoCloseable> bound = new ArrayList<>();

    public KafkaMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public synchronized <B extends MeterBinder & AutoCloseable> B bind(B binder) {
        binder.bindTo(registry);
        bound.add(binder);
        return binder;
    }

    @PreDestroy
    public synchronized void close() throws Exception {
        for (AutoCloseable b : bound) {
            b.close();
        }
        bound.clear();
    }
}
