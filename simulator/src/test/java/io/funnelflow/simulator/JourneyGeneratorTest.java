package io.funnelflow.simulator;

import io.funnelflow.simulator.journey.JourneyGenerator;
import io.funnelflow.simulator.journey.Schedule;
import io.funnelflow.simulator.journey.SimEvent;
import io.funnelflow.simulator.journey.SimSession;
import io.funnelflow.simulator.shop.Catalogue;
import io.funnelflow.simulator.shop.Channel;
import io.funnelflow.simulator.shop.Device;
import io.funnelflow.simulator.shop.Persona;
import io.funnelflow.simulator.shop.Population;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

public class JourneyGeneratorTest {

    static final Instant T = Instant.parse("2026-11-20T12:00:00Z");

    public static List<SimSession> sessions(SimulationConfig config, long seed, int n) {
        Catalogue catalogue = Catalogue.generate(seed);
        JourneyGenerator generator = new JourneyGenerator(config, catalogue,
                Population.generate(config.customers(), config.personas(), catalogue.categories(), seed));
        SplittableRandom random = new SplittableRandom(seed);
        List<SimSession> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(generator.session(random, "s" + i, T.plusSeconds(i)));
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameVisitsEventsAndIds() {
        List<SimSession> a = sessions(SimulationConfig.defaults(), 42, 300);
        List<SimSession> b = sessions(SimulationConfig.defaults(), 42, 300);
        List<SimSession> c = sessions(SimulationConfig.defaults(), 43, 300);
        assertThat(a).isEqualTo(b);
        assertThat(a.get(0).events().get(0).eventId()).isEqualTo(b.get(0).events().get(0).eventId());
        assertThat(a).isNotEqualTo(c);
    }

    /** One neutral channel, device and persona, and no known customers: every factor is 1. */
    static SimulationConfig neutral() {
        SimulationConfig d = SimulationConfig.defaults();
        return new SimulationConfig(d.steps(), List.of(), List.of(new Channel("google", "cpc", "c", 1, 1, true)),
                List.of(new Device("desktop", 1, 1, 0)), List.of(new Persona("p", 1, 1, 2, 30, 1.5)), 0, 0,
                d.realism(), d.hourWeights(), d.weekdayWeights());
    }

    @Test
    void stepProbabilitiesConvergeToTheConfiguredOnes() {
        SimulationConfig config = neutral();
        List<SimSession> all = sessions(config, 7, 40_000);
        double[] reached = new double[6];
        all.forEach(s -> {
            for (int k = 1; k <= s.reached(); k++) {
                reached[k]++;
            }
        });
        assertThat(reached[1]).isEqualTo(40_000);
        assertThat(reached[2] / reached[1]).isCloseTo(config.steps().get("product_view"), within(0.01));
        assertThat(reached[3] / reached[2]).isCloseTo(config.steps().get("add_to_cart"), within(0.01));
        assertThat(reached[4] / reached[3]).isCloseTo(config.steps().get("checkout_start"), within(0.015));
        assertThat(reached[5] / reached[4]).isCloseTo(config.steps().get("purchase"), within(0.015));
        // the defaults make the plausible 100 / 70 / 50 / 30 / 20 %
        assertThat(reached[5] / reached[1]).isCloseTo(0.20, within(0.01));
    }

    @Test
    void personasChannelsAndDevicesConvertAsConfigured() {
        List<SimSession> all = sessions(SimulationConfig.defaults(), 11, 60_000);
        assertThat(rate(all, s -> s.device().name().equals("mobile")))
                .isLessThan(rate(all, s -> s.device().name().equals("desktop")) - 0.03);
        assertThat(rate(all, s -> s.channel().source().equals("newsletter")))
                .isGreaterThan(rate(all, s -> s.channel().source().equals("facebook")) + 0.05);
        assertThat(rate(all, s -> s.persona().name().equals("vip_loyalist")))
                .isGreaterThan(rate(all, s -> s.persona().name().equals("browser")) + 0.1);
        double researchPages = all.stream().filter(s -> s.persona().name().equals("research_shopper"))
                .mapToInt(s -> s.events().size()).average().orElseThrow();
        double quickPages = all.stream().filter(s -> s.persona().name().equals("quick_buyer"))
                .mapToInt(s -> s.events().size()).average().orElseThrow();
        assertThat(researchPages).isGreaterThan(quickPages + 2);
        assertThat(all).anySatisfy(s -> assertThat(s.events()).extracting(SimEvent::type).contains("remove_from_cart"));
        assertThat(all).anySatisfy(s -> assertThat(s.userId()).isNotNull());
    }

    static double rate(List<SimSession> all, Predicate<SimSession> which) {
        List<SimSession> some = all.stream().filter(which).toList();
        return some.stream().filter(SimSession::purchased).count() / (double) some.size();
    }

    @Test
    void aVisitNeverPausesLongEnoughToSplitAndItsEventsAreInOrder() {
        for (SimSession s : sessions(SimulationConfig.defaults(), 3, 5000)) {
            for (int i = 1; i < s.events().size(); i++) {
                assertThat(s.events().get(i).time()).isAfterOrEqualTo(s.events().get(i - 1).time());
                assertThat(s.events().get(i).time()).isBefore(s.events().get(i - 1).time().plusSeconds(30 * 60));
            }
            if (s.purchased()) {
                assertThat(s.revenue()).isPositive();
            }
        }
    }

    @Test
    void historyHasTheConfiguredDailyRhythm() {
        SimulationConfig d = SimulationConfig.defaults();
        List<Instant> starts = new Schedule(d.hourWeights(), d.weekdayWeights()).history(new SplittableRandom(1), T, 14, 2000);
        long evening = starts.stream().filter(i -> i.atZone(ZoneOffset.UTC).getHour() == 20).count();
        long night = starts.stream().filter(i -> i.atZone(ZoneOffset.UTC).getHour() == 4).count();
        assertThat(evening).isGreaterThan(night * 5);
        assertThat(starts).isSorted();
        assertThat(starts.get(starts.size() - 1)).isBefore(T.truncatedTo(java.time.temporal.ChronoUnit.DAYS));
        assertThat(starts.size()).isCloseTo(28_000, within(600));
    }

    @Test
    void aConfigurationFileOverridesTheDefaultsAndNamesWhatItCannotRead(@TempDir Path dir) throws Exception {
        Path yml = dir.resolve("shop.yml");
        Files.writeString(yml, """
                steps:
                  purchase: 0.9
                custom_events:
                  - name: gift_wrap_chosen
                    probability: 1.0
                    after: checkout_start
                realism:
                  retry_share: 0
                """);
        SimulationConfig c = SimulationConfig.load(yml);
        assertThat(c.steps()).containsEntry("purchase", 0.9).containsEntry("add_to_cart", 0.714);
        assertThat(c.realism().retryShare()).isZero();
        assertThat(sessions(c, 5, 2000)).filteredOn(s -> s.reached() >= 4)
                .allSatisfy(s -> assertThat(s.events()).extracting(SimEvent::type).contains("gift_wrap_chosen"));

        Path props = dir.resolve("shop.properties");
        Files.writeString(props, "steps.product_view=0.5\nreturning_share=0.1\n");
        assertThat(SimulationConfig.load(props).steps()).containsEntry("product_view", 0.5);

        Files.writeString(props, "steps.purchase=2\n");
        assertThatThrownBy(() -> SimulationConfig.load(props)).hasMessageContaining("steps.purchase: must be between 0 and 1");
        Files.writeString(props, "colour=blue\n");
        assertThatThrownBy(() -> SimulationConfig.load(props)).hasMessageContaining("unknown setting 'colour'");
    }
}
