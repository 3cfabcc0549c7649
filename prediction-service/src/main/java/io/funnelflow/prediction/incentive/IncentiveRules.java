package io.funnelflow.prediction.incentive;

import io.funnelflow.prediction.features.Features;
import io.funnelflow.prediction.model.PersonaNaming;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * Which incentive a session should get, by rules a shop can read and argue with, first match wins:
 * <ol>
 * <li>likely to buy anyway (P ≥ {@code likelyBuyer}): nothing, an offer would only cost margin;</li>
 * <li>a returning customer (VIP persona, or at least {@code loyalPurchases} earlier purchases): loyalty points;</li>
 * <li>a cart worth at least {@code discountCart} and some doubt (P ≥ {@code discountFloor}): a discount;</li>
 * <li>a cart under the free-shipping line: free shipping;</li>
 * <li>no cart but {@code urgencyViews} products viewed: an urgency message;</li>
 * <li>else nothing.</li>
 * </ol>
 * A fixed share of the sessions that would get an incentive is held out, chosen by a hash of the
 * session id so a session stays in or out whatever happens; their outcome against the offered ones
 * measures the incentive's uplift.
 */
public final class IncentiveRules {

    /** The thresholds; amounts are in the shop's currency. */
    public record Settings(double likelyBuyer, int loyalPurchases, double discountCart, double discountFloor,
                           double freeShippingLine, int urgencyViews, double heldOutShare) {

        public static Settings defaults() {
            return new Settings(0.7, 2, 80, 0.1, 60, 3, 0.1);
        }
    }

    /** The decision and its reason; when held out, the incentive is the one the session would have had. */
    public record Decision(Incentive incentive, String reason, boolean heldOut) {
    }

    private final Settings settings;

    public IncentiveRules(Settings settings) {
        if (settings.heldOutShare() < 0 || settings.heldOutShare() > 1) {
            throw new IllegalArgumentException("held-out share must be within 0 and 1");
        }
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    public Decision decide(String sessionId, double probability, String persona, Features f) {
        Decision d = rule(probability, persona, f);
        if (d.incentive() != Incentive.NONE && heldOut(sessionId)) {
            return new Decision(d.incentive(), "held out to measure uplift; would offer: " + d.reason(), true);
        }
        return d;
    }

    Decision rule(double p, String persona, Features f) {
        if (p >= settings.likelyBuyer()) {
            return new Decision(Incentive.NONE, String.format(Locale.ROOT,
                    "likely to buy without one (%.0f%% ≥ %.0f%%)", 100 * p, 100 * settings.likelyBuyer()), false);
        }
        if (PersonaNaming.VIP.equals(persona) || f.previousPurchases() >= settings.loyalPurchases()) {
            return new Decision(Incentive.LOYALTY_POINTS, String.format(Locale.ROOT,
                    "returning customer with %d earlier purchases (%s)", f.previousPurchases(), persona), false);
        }
        if (f.cartValue() >= settings.discountCart() && p >= settings.discountFloor()) {
            return new Decision(Incentive.DISCOUNT, String.format(Locale.ROOT,
                    "cart of %.2f at %.0f%% purchase probability: a discount may tip it", f.cartValue(), 100 * p), false);
        }
        if (f.cartValue() > 0 && f.cartValue() < settings.freeShippingLine()) {
            return new Decision(Incentive.FREE_SHIPPING, String.format(Locale.ROOT,
                    "cart of %.2f is under the %.2f free-shipping line", f.cartValue(), settings.freeShippingLine()), false);
        }
        if (f.cartValue() == 0 && f.productViews() >= settings.urgencyViews()) {
            return new Decision(Incentive.URGENCY, String.format(Locale.ROOT,
                    "%d products viewed and nothing in the cart yet", f.productViews()), false);
        }
        return new Decision(Incentive.NONE, String.format(Locale.ROOT,
                "no rule applies (%.0f%%, cart %.2f, %d product views)", 100 * p, f.cartValue(), f.productViews()), false);
    }

    boolean heldOut(String sessionId) {
        if (sessionId == null) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(sessionId.getBytes(StandardCharsets.UTF_8));
        return (crc.getValue() % 10_000) < Math.round(settings.heldOutShare() * 10_000);
    }
}
