package io.funnelflow.prediction.features;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The features of a session at its scoring moment: only what is known then. Numbers are counts so
 * far; the categorical features are one-hot encoded for the model ({@code device@mobile}), so that an
 * unseen value simply activates nothing.
 *
 * @param timeOnSite        seconds from the session's first event to the scoring moment
 * @param pagesVisited      page views so far
 * @param cartValue         what is in the cart at the scoring moment
 * @param previousPurchases earlier sessions of the visitor that ended in a purchase
 * @param device            {@code mobile}, {@code desktop}, {@code tablet}, or unknown
 * @param channel           the utm_source the visit came from, {@code direct} without one
 * @param hour              hour of day (UTC) the session started
 * @param weekday           1 (Monday) to 7 (Sunday), of the session's start (UTC)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Features(
        double timeOnSite,
        int pagesVisited,
        int productViews,
        int cartAdds,
        int cartRemoves,
        int checkouts,
        double cartValue,
        int events,
        int previousPurchases,
        int previousSessions,
        String device,
        String platform,
        String channel,
        String medium,
        int hour,
        int weekday) {

    public static final String UNKNOWN = "unknown";
    public static final String DIRECT = "direct";

    public static Features of(SessionState s, History h) {
        ZonedDateTime start = s.start().atZone(ZoneOffset.UTC);
        return new Features(s.timeOnSiteSeconds(), s.pageViews(), s.productViews(), s.cartAdds(), s.cartRemoves(),
                s.checkouts(), s.cartValue(), s.events(), h.previousPurchases(), h.previousSessions(),
                category(s.device(), UNKNOWN), category(s.platform(), UNKNOWN), category(s.utmSource(), DIRECT),
                category(s.utmMedium(), "none"), start.getHour(), start.getDayOfWeek().getValue());
    }

    /** The session start's hour and weekday, for features given without a session. */
    public static int[] hourAndWeekday(Instant start) {
        ZonedDateTime t = start.atZone(ZoneOffset.UTC);
        return new int[]{t.getHour(), t.getDayOfWeek().getValue()};
    }

    static String category(String value, String absent) {
        return value == null || value.isBlank() ? absent : value.trim().toLowerCase(Locale.ROOT);
    }

    /** The model's view: names and values of the features that are not zero. */
    public Vector vector() {
        List<String> names = new ArrayList<>(24);
        List<Double> values = new ArrayList<>(24);
        put(names, values, "time_on_site", timeOnSite);
        put(names, values, "pages_visited", pagesVisited);
        put(names, values, "product_views", productViews);
        put(names, values, "cart_adds", cartAdds);
        put(names, values, "cart_removes", cartRemoves);
        put(names, values, "checkouts", checkouts);
        put(names, values, "cart_value", cartValue);
        put(names, values, "events", events);
        put(names, values, "previous_purchases", previousPurchases);
        put(names, values, "previous_sessions", previousSessions);
        put(names, values, "hour", hour);
        put(names, values, "device@" + device, 1);
        put(names, values, "platform@" + platform, 1);
        put(names, values, "channel@" + channel, 1);
        put(names, values, "medium@" + medium, 1);
        put(names, values, "weekday@" + DayOfWeek.of(weekday).name().toLowerCase(Locale.ROOT), 1);
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return new Vector(names.toArray(String[]::new), v);
    }

    /**
     * The behaviour a persona is judged on, each log-scaled so that a few long sessions do not
     * dominate the clusters.
     */
    public Vector behaviour() {
        String[] names = {"time_on_site", "pages_visited", "product_views", "cart_adds", "checkouts", "cart_value",
                "previous_purchases", "previous_sessions"};
        double[] values = {Math.log1p(timeOnSite / 60.0), Math.log1p(pagesVisited), Math.log1p(productViews),
                Math.log1p(cartAdds), Math.log1p(checkouts), Math.log1p(cartValue), Math.log1p(previousPurchases),
                Math.log1p(previousSessions)};
        return new Vector(names, values);
    }

    private static void put(List<String> names, List<Double> values, String name, double value) {
        if (value != 0) {
            names.add(name);
            values.add(value);
        }
    }

    /** Feature names with their values, in a fixed order. */
    public record Vector(String[] names, double[] values) {
    }
}
