package io.funnelflow.simulator.shop;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/** Draws by weight. */
public final class Weighted {

    private Weighted() {
    }

    public static <T> T pick(SplittableRandom random, List<T> items, ToDoubleFunction<T> weight) {
        double total = items.stream().mapToDouble(weight).sum();
        double x = random.nextDouble() * total;
        for (T item : items) {
            x -= weight.applyAsDouble(item);
            if (x < 0) {
                return item;
            }
        }
        return items.get(items.size() - 1);
    }

    public static int index(SplittableRandom random, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
