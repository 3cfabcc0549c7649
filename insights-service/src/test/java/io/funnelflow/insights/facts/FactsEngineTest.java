package io.funnelflow.insights.facts;

import io.funnelflow.insights.Funnels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class FactsEngineTest {

    final FactsEngine engine = new FactsEngine();

    static Map<String, Fact> byId(List<Fact> facts) {
        return facts.stream().collect(Collectors.toMap(Fact::id, Function.identity()));
    }

    @Test
    void computesEachFactFromTheMetrics() {
        Map<String, Fact> f = byId(engine.compute(Funnels.shopA()));

        // 800 → 240 loses 560 of 800 = 70.0%, more than any other step
        Fact drop = f.get("funnel.largest_drop");
        assertThat(drop.subject()).isEqualTo("product_view → add_to_cart");
        assertThat(drop.text("drop_off_rate")).isEqualTo("70.0%");
        assertThat(drop.text("sessions_lost")).isEqualTo("560");

        assertThat(f.get("funnel.overall").text("conversion_rate")).isEqualTo("4.0%");
        assertThat(f.get("utm_source.google.conversion").text("conversion_rate")).isEqualTo("5.0%");
        assertThat(f.get("utm_source.facebook.conversion").text("conversion_rate")).isEqualTo("2.0%");
        Fact gap = f.get("utm_source.gap");
        assertThat(gap.subject()).isEqualTo("google / facebook");
        assertThat(gap.text("gap")).isEqualTo("3.0 pp");
        // mobile 21/700 = 3.0%, desktop 19/300 = 6.3%
        assertThat(f.get("device.gap").text("gap")).isEqualTo("3.3 pp");
        assertThat(f.get("device.gap").subject()).isEqualTo("desktop / mobile");
        // 2400 of 3160.50 = 75.9%
        assertThat(f.get("revenue.top_channel").text("share")).isEqualTo("75.9%");
        assertThat(f.get("revenue.top_channel").text("revenue")).isEqualTo("2,400.00");
        assertThat(f.get("cart.abandonment").text("abandonment_rate")).isEqualTo("83.8%");
        // 42/1100 = 3.8% against 50/1000 = 5.0%
        assertThat(f.get("change.conversion").text("change")).isEqualTo("-1.2 pp");
        assertThat(f.get("change.conversion").label()).contains("fell by 1.2 pp");
        assertThat(f.get("change.sessions").text("change")).isEqualTo("10.0%");
        assertThat(f.get("change.revenue").text("change")).isEqualTo("-19.0%");
        assertThat(f.get("traffic.peak_hour").text("hour")).isEqualTo("20:00");
        assertThat(f.get("traffic.peak_hour").text("share")).isEqualTo("56.5%");
        assertThat(f.get("overview").text("average_order_value")).isEqualTo("71.83");
    }

    @Test
    void thePeakOfTheWeekIsTheBusiestWeekdayHourCell() {
        io.funnelflow.insights.metrics.Metrics a = Funnels.shopA();
        Map<Integer, Long> cells = new java.util.LinkedHashMap<>();
        cells.put(2 * 24 + 14, 900L);   // Wednesday 14:00
        cells.put(4 * 24 + 20, 600L);   // Friday 20:00
        cells.put(6 * 24 + 23, 500L);   // Sunday 23:00
        io.funnelflow.insights.metrics.Metrics m = new io.funnelflow.insights.metrics.Metrics(a.from(), a.to(), a.funnel(),
                a.current(), a.previous(), a.breakdown(), a.segments(), a.devices(), a.revenueBySource(), a.eventsByHour(), cells);
        Fact peak = byId(engine.compute(m)).get("traffic.peak_time");
        assertThat(peak.subject()).isEqualTo("Wednesday");
        assertThat(peak.label()).startsWith("Peak activity is Wednesday 14:00–15:00 UTC with 900 events, 45.0%");
        // without the profile (posted metrics, the seed's flat counts) there is no such fact
        assertThat(byId(engine.compute(a))).doesNotContainKey("traffic.peak_time");
    }

    @Test
    void everyLabelStatesOnlyItsOwnFigures() {
        for (Fact fact : engine.compute(Funnels.shopB())) {
            String rest = fact.label();
            for (Figure figure : fact.figures().values()) {
                rest = rest.replace(figure.text(), "");
            }
            assertThat(rest).as(fact.id() + ": " + fact.label()).doesNotContainPattern("\\d");
        }
    }
}
