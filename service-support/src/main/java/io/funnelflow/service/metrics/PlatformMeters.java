package io.funnelflow.service.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** What every service's meters share. */
@Factory
public class PlatformMeters {

    /** Buckets of the HTTP server's latency histogram, from 5 ms to 10 s. */
    static final double[] HTTP_BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000)
            .mapToDouble(ms -> Duration.ofMillis(ms).toNanos()).toArray();

    /** {@code service="<application name>"} on every meter, so that one dashboard shows every service side by side. */
    @Singleton
    @Named("service-tag")
    MeterFilter serviceTag(@Value("${micronaut.application.name:funnelflow}") String service) {
        return MeterFilter.commonTags(List.of(Tag.of("service", service)));
    }

    /** {@code http_server_requests_seconds_bucket}: latency quantiles per route can be computed across instances. */
    @Singleton
    @Named("http-histogram")
    MeterFilter httpServerHistogram() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("http.server.requests")) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(HTTP_BUCKETS).build().merge(config);
            }
        };
    }
}
