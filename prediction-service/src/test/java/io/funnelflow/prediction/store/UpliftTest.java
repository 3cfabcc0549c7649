package io.funnelflow.prediction.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class UpliftTest {

    @Test
    void upliftIsTheDifferenceInConversionWithAWaldInterval() {
        PredictionStore.IncentiveResult r = PredictionStore.result("discount",
                PredictionStore.Arm.of(100, 30, 3000), PredictionStore.Arm.of(50, 10, 900));
        assertThat(r.upliftPoints()).isCloseTo(10.0, within(1e-9));
        // se = sqrt(0.3 * 0.7 / 100 + 0.2 * 0.8 / 50) = 0.072801
        assertThat(r.upliftLow()).isCloseTo(10 - 1.96 * 7.2801, within(1e-3));
        assertThat(r.upliftHigh()).isCloseTo(10 + 1.96 * 7.2801, within(1e-3));
        assertThat(r.revenuePerSessionUplift()).isCloseTo(30 - 18, within(1e-9));
    }

    @Test
    void noIntervalWithoutAHeldOutArm() {
        PredictionStore.IncentiveResult r = PredictionStore.result("free_shipping",
                PredictionStore.Arm.of(40, 12, 500), PredictionStore.Arm.of(0, 0, 0));
        assertThat(r.upliftPoints()).isNull();
        assertThat(r.upliftLow()).isNull();
        assertThat(r.offered().conversionRate()).isEqualTo(0.3);
    }
}
