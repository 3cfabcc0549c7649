package io.funnelflow.contract.funnel;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.funnelflow.contract.event.EventType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A funnel is data: a name and the ordered event types a visitor passes through. Step 1 of a funnel
 * that starts with a page view is shown as "landing".
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FunnelDefinition(String name, List<String> steps) {

    public static final int MIN_STEPS = 2;
    public static final int MAX_STEPS = 10;
    public static final String DEFAULT_NAME = "default";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    public static final FunnelDefinition DEFAULT = new FunnelDefinition(DEFAULT_NAME, List.of(
            EventType.PAGE_VIEW.wireName(),
            EventType.PRODUCT_VIEW.wireName(),
            EventType.ADD_TO_CART.wireName(),
            EventType.CHECKOUT_START.wireName(),
            EventType.PURCHASE.wireName()));

    public FunnelDefinition {
        Objects.requireNonNull(name, "name");
        steps = List.copyOf(steps);
    }

    /** The label of step {@code index} (0-based) as shown to people. */
    public String label(int index) {
        String step = steps.get(index);
        return index == 0 && EventType.PAGE_VIEW.wireName().equals(step) ? "landing" : step;
    }

    /** What is wrong with a funnel someone wants to save; empty when it can be saved. */
    public static List<String> problems(String name, List<String> steps) {
        List<String> out = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            out.add("name: must be 1-63 characters of a-z, 0-9, '_' or '-', starting with a letter or digit");
        }
        if (steps == null || steps.size() < MIN_STEPS || steps.size() > MAX_STEPS) {
            out.add("steps: must list " + MIN_STEPS + " to " + MAX_STEPS + " event types");
        } else {
            if (steps.stream().anyMatch(s -> s == null || s.isBlank())) {
                out.add("steps: an event type must not be blank");
            }
            if (new HashSet<>(steps).size() != steps.size()) {
                out.add("steps: an event type may appear only once");
            }
        }
        return out;
    }
}
