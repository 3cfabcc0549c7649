package io.funnelflow.prediction.web;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.funnelflow.prediction.incentive.Incentive;
import io.funnelflow.prediction.incentive.IncentiveRules;
import io.funnelflow.prediction.model.PersonaNaming;
import io.funnelflow.prediction.scoring.Scorer;

import java.util.Locale;
import java.util.Map;

/**
 * The answers of seed 002's prediction API ({@code prediction}, {@code persona}, {@code incentive} as the
 * seed documents them), built from ours, so that a client written against the seed works unchanged.
 */
final class SeedShapes {

    private SeedShapes() {
    }

    /**
     * @param willBuy     P(purchase) of at least one half
     * @param confidence  how sure the answer {@code will_buy} is, in percent (0–100): the larger of P and 1 − P
     * @param probability P(purchase), 0–1
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SeedPrediction(boolean willBuy, int confidence, double probability) {

        static SeedPrediction of(double p) {
            return new SeedPrediction(p >= 0.5, (int) Math.round(100 * Math.max(p, 1 - p)), Math.round(p * 10_000) / 10_000.0);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SeedPersona(String type, String color) {
    }

    /**
     * The incentive to show the shopper. A held-out session is shown none (type {@code none}), or the
     * hold-out that measures each incentive's uplift would be broken.
     *
     * @param discount percent off, for a discount; else 0
     * @param priority high, medium or low
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SeedIncentive(String type, String message, int discount, String priority, boolean heldOut) {
    }

    private static final Map<String, String> PERSONA_TYPES = Map.of(
            PersonaNaming.VIP, "VIP Loyalist",
            PersonaNaming.QUICK_BUYER, "Quick Buyer",
            PersonaNaming.RESEARCHER, "Research Shopper",
            PersonaNaming.BROWSER, "Browser",
            PersonaNaming.CASUAL, "Casual Visitor");

    private static final Map<String, String> PERSONA_COLORS = Map.of(
            "VIP Loyalist", "purple",
            "Quick Buyer", "green",
            "Research Shopper", "blue",
            "Browser", "gray",
            "Casual Visitor", "orange");

    /** Our persona name as the seed writes it ("Research Shopper"). */
    static String personaType(String persona) {
        if (persona == null || Scorer.UNKNOWN_PERSONA.equals(persona)) {
            return "Unknown";
        }
        String type = PERSONA_TYPES.get(persona);
        return type != null ? type : persona.substring(0, 1).toUpperCase(Locale.ROOT) + persona.substring(1);
    }

    static SeedPersona persona(String persona) {
        String type = personaType(persona);
        return new SeedPersona(type, PERSONA_COLORS.getOrDefault(type, "gray"));
    }

    static SeedIncentive incentive(IncentiveRules.Decision d, int discountPercent) {
        if (d.heldOut() || d.incentive() == Incentive.NONE) {
            return new SeedIncentive("none", "", 0, "low", d.heldOut());
        }
        return switch (d.incentive()) {
            case DISCOUNT -> new SeedIncentive("discount", "Take " + discountPercent + "% off your order today", discountPercent, "high", false);
            case LOYALTY_POINTS -> new SeedIncentive("loyalty", "Earn bonus loyalty points on this purchase", 0, "medium", false);
            case FREE_SHIPPING -> new SeedIncentive("free_shipping", "Free shipping on this order", 0, "medium", false);
            case URGENCY -> new SeedIncentive("urgency", "Popular right now: the items you looked at are selling fast", 0, "low", false);
            case NONE -> new SeedIncentive("none", "", 0, "low", false);
        };
    }
}
