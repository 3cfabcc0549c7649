package io.funnelflow.prediction.incentive;

import io.funnelflow.prediction.features.Features;
import io.funnelflow.prediction.model.PersonaNaming;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IncentiveRulesTest {

    final IncentiveRules rules = new IncentiveRules(IncentiveRules.Settings.defaults());

    static Features shopper(double cart, int productViews, int previousPurchases) {
        return new Features(300, 3, productViews, cart > 0 ? 1 : 0, 0, 0, cart, 6, previousPurchases, previousPurchases,
                "mobile", "web", "google", "cpc", 12, 2);
    }

    @Test
    void eachRuleWithItsReason() {
        assertThat(rules.rule(0.85, PersonaNaming.QUICK_BUYER, shopper(150, 2, 0)).incentive()).isEqualTo(Incentive.NONE);
        assertThat(rules.rule(0.85, PersonaNaming.QUICK_BUYER, shopper(150, 2, 0)).reason()).contains("85%");
        assertThat(rules.rule(0.3, PersonaNaming.VIP, shopper(20, 2, 0)).incentive()).isEqualTo(Incentive.LOYALTY_POINTS);
        assertThat(rules.rule(0.3, PersonaNaming.BROWSER, shopper(20, 2, 3)).incentive()).isEqualTo(Incentive.LOYALTY_POINTS);
        IncentiveRules.Decision discount = rules.rule(0.35, PersonaNaming.RESEARCHER, shopper(120, 2, 0));
        assertThat(discount.incentive()).isEqualTo(Incentive.DISCOUNT);
        assertThat(discount.reason()).contains("120.00").contains("35%");
        assertThat(rules.rule(0.05, PersonaNaming.RESEARCHER, shopper(120, 2, 0)).incentive())
                .as("a cart that will not be bought anyway gets no discount").isNotEqualTo(Incentive.DISCOUNT);
        IncentiveRules.Decision shipping = rules.rule(0.3, PersonaNaming.BROWSER, shopper(35, 2, 0));
        assertThat(shipping.incentive()).isEqualTo(Incentive.FREE_SHIPPING);
        assertThat(shipping.reason()).contains("35.00").contains("60.00");
        assertThat(rules.rule(0.2, PersonaNaming.RESEARCHER, shopper(0, 5, 0)).incentive()).isEqualTo(Incentive.URGENCY);
        assertThat(rules.rule(0.02, PersonaNaming.CASUAL, shopper(0, 1, 0)).incentive()).isEqualTo(Incentive.NONE);
    }

    @Test
    void theConfiguredShareOfEligibleSessionsIsHeldOutAndStaysSo() {
        int heldOut = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            IncentiveRules.Decision d = rules.decide("session-" + i, 0.3, PersonaNaming.BROWSER, shopper(35, 2, 0));
            assertThat(d.incentive()).isEqualTo(Incentive.FREE_SHIPPING);
            assertThat(rules.decide("session-" + i, 0.4, PersonaNaming.BROWSER, shopper(40, 2, 0)).heldOut()).isEqualTo(d.heldOut());
            if (d.heldOut()) {
                heldOut++;
                assertThat(d.reason()).startsWith("held out");
            }
        }
        assertThat(heldOut / (double) n).isBetween(0.09, 0.11);
        assertThat(rules.decide("session-1", 0.02, PersonaNaming.CASUAL, shopper(0, 1, 0)).heldOut())
                .as("only sessions that would get an incentive are held out").isFalse();
    }
}
