package io.funnelflow.service.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes a batch whole and, when what it holds is refused ({@link WriteFailure.Kind#REFUSED}), splits it
 * in halves, the earlier half first, down to the single items that are refused on their own. Each item
 * is written once in the end unless it is refused, in the order given, so that keyed writes of absolute
 * values still end with the latest. A failure that a retry may cure stops the whole write and is thrown
 * as it is: nothing is ever set aside because of an outage.
 */
public final class Bisection {

    /** Writes some items, all or none of them (one transaction). */
    @FunctionalInterface
    public interface Write<T> {
        void write(List<T> items) throws Exception;
    }

    /** An item that was refused on its own, with the failure. */
    public record Refused<T>(T item, Exception failure) {
    }

    /** Told of each refused item as soon as it stands alone, before any later item is written. */
    @FunctionalInterface
    public interface OnRefused<T> {
        void refused(Refused<T> refused) throws Exception;
    }

    private Bisection() {
    }

    /**
     * @return the items refused on their own (empty when the batch went through whole, or in parts)
     * @throws Exception the first failure that is not a refusal
     */
    public static <T> List<Refused<T>> write(List<T> items, Write<T> write) throws Exception {
        List<Refused<T>> refused = new ArrayList<>();
        write(items, write, WriteFailure::classify, refused::add);
        return refused;
    }

    /**
     * The same, for a writer whose writes also commit its progress past the items (a Kafka transaction
     * with the offsets): each refused item is handed over as soon as it stands alone, so that it can be
     * set aside before any later item moves the progress past it.
     *
     * @param classify which failures are refusals of what was written
     */
    public static <T> void write(List<T> items, Write<T> write, Function<Exception, WriteFailure.Kind> classify,
                                 OnRefused<T> onRefused) throws Exception {
        if (items.isEmpty()) {
            return;
        }
        try {
            write.write(items);
        } catch (Exception e) {
            if (classify.apply(e) != WriteFailure.Kind.REFUSED) {
                throw e;
            }
            if (items.size() == 1) {
                onRefused.refused(new Refused<>(items.get(0), e));
                return;
            }
            int half = items.size() / 2;
            write(items.subList(0, half), write, classify, onRefused);
            write(items.subList(half, items.size()), write, classify, onRefused);
        }
    }
}
