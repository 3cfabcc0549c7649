package io.funnelflow.service.event;

import io.funnelflow.contract.event.MetadataLimits;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetadataSettingsTest {

    @Test
    void unsetTheLimitsAreTheContractsDefaults() {
        try (ApplicationContext context = ApplicationContext.run()) {
            assertThat(context.getBean(MetadataSettings.class).limits()).isEqualTo(MetadataLimits.defaults());
        }
    }

    @Test
    void everyLimitIsReadFromOnePlaceThatIngestAndTheAggregatorShare() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "funnelflow.metadata.max-keys", 7, "funnelflow.metadata.max-key-length", 8,
                "funnelflow.metadata.max-value-length", 9, "funnelflow.metadata.max-depth", 2,
                "funnelflow.metadata.max-array-length", 11, "funnelflow.metadata.max-bytes", 65536))) {
            assertThat(context.getBean(MetadataSettings.class).limits()).isEqualTo(new MetadataLimits(7, 8, 9, 2, 11, 65536));
        }
    }
}
