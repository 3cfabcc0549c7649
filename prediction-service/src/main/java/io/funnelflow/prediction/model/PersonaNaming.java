package io.funnelflow.prediction.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Names clusters from their centroids. Each persona has a score over the centroid's standardised
 * behaviour (how far above or below the average shopper each trait lies); the best-scoring pair of
 * persona and cluster is named first, then the next among those left, so every name goes to the
 * cluster that fits it best. Clusters beyond the five personas are called "segment N".
 */
public final class PersonaNaming {

    public static final String VIP = "VIP loyalist";
    public static final String QUICK_BUYER = "quick buyer";
    public static final String RESEARCHER = "research shopper";
    public static final String BROWSER = "browser";
    public static final String CASUAL = "casual visitor";

    /** Trait order of a centroid, as in {@code Features.behaviour()}. */
    static final List<String> TRAITS = List.of("time_on_site", "pages_visited", "product_views", "cart_adds",
            "checkouts", "cart_value", "previous_purchases", "previous_sessions");

    private PersonaNaming() {
    }

    /**
     * @param z each cluster's centroid as standard scores per trait (order of {@link #TRAITS})
     * @return a name per cluster
     */
    public static List<String> name(List<double[]> z) {
        Map<String, double[]> weights = Map.of(
                VIP, w("previous_purchases", 1, "previous_sessions", 0.5),
                QUICK_BUYER, w("checkouts", 1, "cart_adds", 1, "time_on_site", -1, "product_views", -0.5),
                RESEARCHER, w("product_views", 1, "time_on_site", 1, "checkouts", -0.5),
                BROWSER, w("pages_visited", 1, "cart_adds", -1),
                CASUAL, w("pages_visited", -1, "time_on_site", -1, "product_views", -1));
        String[] names = new String[z.size()];
        List<String> free = new ArrayList<>(List.of(VIP, QUICK_BUYER, RESEARCHER, BROWSER, CASUAL));
        while (!free.isEmpty() && Arrays.stream(names).anyMatch(n -> n == null)) {
            String bestName = null;
            int bestCluster = -1;
            double best = Double.NEGATIVE_INFINITY;
            for (String name : free) {
                for (int c = 0; c < z.size(); c++) {
                    if (names[c] == null) {
                        double s = dot(weights.get(name), z.get(c));
                        if (s > best) {
                            best = s;
                            bestName = name;
                            bestCluster = c;
                        }
                    }
                }
            }
            names[bestCluster] = bestName;
            free.remove(bestName);
        }
        for (int c = 0; c < names.length; c++) {
            if (names[c] == null) {
                names[c] = "segment " + (c + 1);
            }
        }
        return List.of(names);
    }

    private static double[] w(Object... traitWeights) {
        double[] w = new double[TRAITS.size()];
        for (int i = 0; i < traitWeights.length; i += 2) {
            int index = TRAITS.indexOf((String) traitWeights[i]);
            if (index < 0) {
                throw new IllegalArgumentException("no trait " + traitWeights[i]);
            }
            w[index] = ((Number) traitWeights[i + 1]).doubleValue();
        }
        return w;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
