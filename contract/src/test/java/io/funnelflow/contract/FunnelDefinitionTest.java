package io.funnelflow.contract;

import io.funnelflow.contract.funnel.FunnelDefinition;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FunnelDefinitionTest {

    @Test
    void defaultFunnelStartsWithLanding() {
        assertThat(FunnelDefinition.DEFAULT.steps()).hasSize(5);
        assertThat(FunnelDefinition.DEFAULT.label(0)).isEqualTo("landing");
        assertThat(FunnelDefinition.DEFAULT.label(4)).isEqualTo("purchase");
    }

    @Test
    void problemsOfACustomFunnelAreNamed() {
        assertThat(FunnelDefinition.problems("signup", List.of("page_view", "signup_completed"))).isEmpty();
        assertThat(FunnelDefinition.problems("Bad Name", List.of("a"))).hasSize(2);
        assertThat(FunnelDefinition.problems("dup", List.of("a", "a"))).containsExactly("steps: an event type may appear only once");
    }
}
