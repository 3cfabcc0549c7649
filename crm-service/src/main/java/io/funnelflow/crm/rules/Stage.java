package io.funnelflow.crm.rules;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The lifecycle stages, in their forward order. */
public enum Stage {
    LEAD("Lead"), MQL("MQL"), SQL("SQL"), CUSTOMER("Customer");

    public static final List<String> NAMES = Arrays.stream(values()).map(Stage::label).toList();

    private final String label;

    Stage(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The stage of a name, ignoring case ({@code mql}, {@code Customer}). */
    public static Optional<Stage> of(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim();
        return Arrays.stream(values()).filter(s -> s.label.equalsIgnoreCase(n)).findFirst();
    }

    @Override
    public String toString() {
        return label;
    }
}
