package io.funnelflow.crm.rules;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One test of a rule: {@code {"signal": "cart_adds", "op": ">=", "value": 2}}. Numeric signals take
 * {@code > >= < <= = !=}; text signals {@code = != in} (case-insensitive), with a list for {@code in}.
 */
public record Condition(String signal, String op, Double number, List<String> texts) {

    public static final Set<String> NUMERIC = Set.of("sessions", "page_views", "product_views", "cart_adds", "checkouts",
            "purchases", "revenue", "purchase_probability", "imported_score", "intent_score", "days_since_engaged");
    public static final Set<String> TEXT = Set.of("company_size", "source", "engagement_channel", "imported_stage",
            "engagement_health", "stage");
    static final Set<String> NUMERIC_OPS = Set.of(">", ">=", "<", "<=", "=", "!=");
    static final Set<String> TEXT_OPS = Set.of("=", "!=", "in");

    static Condition parse(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new RulesException(path, "must be an object such as {\"signal\": \"cart_adds\", \"op\": \">=\", \"value\": 2}");
        }
        String signal = node.path("signal").asText("");
        String op = node.path("op").asText("");
        JsonNode value = node.get("value");
        if (NUMERIC.contains(signal)) {
            if (!NUMERIC_OPS.contains(op)) {
                throw new RulesException(path + ".op", "must be one of " + String.join(" ", NUMERIC_OPS.stream().sorted().toList())
                        + " for the numeric signal " + signal);
            }
            if (value == null || !value.isNumber()) {
                throw new RulesException(path + ".value", "must be a number for the numeric signal " + signal);
            }
            return new Condition(signal, op, value.doubleValue(), null);
        }
        if (TEXT.contains(signal)) {
            if (!TEXT_OPS.contains(op)) {
                throw new RulesException(path + ".op", "must be =, != or in for the text signal " + signal);
            }
            List<String> texts = new ArrayList<>();
            if (op.equals("in")) {
                if (value == null || !value.isArray() || value.isEmpty()) {
                    throw new RulesException(path + ".value", "must be a non-empty list of strings for in");
                }
                value.forEach(v -> texts.add(v.asText()));
            } else {
                if (value == null || !value.isTextual()) {
                    throw new RulesException(path + ".value", "must be a string for the text signal " + signal);
                }
                texts.add(value.asText());
            }
            return new Condition(signal, op, null, List.copyOf(texts));
        }
        throw new RulesException(path + ".signal", "must be one of " + String.join(", ",
                new java.util.TreeSet<>(java.util.stream.Stream.concat(NUMERIC.stream(), TEXT.stream()).toList())) + ", not '" + signal + "'");
    }

    /** Whether the condition holds for these values; a signal without a value never meets a condition. */
    boolean holds(Facts facts) {
        if (number != null) {
            Double v = facts.number(signal);
            if (v == null) {
                return false;
            }
            return switch (op) {
                case ">" -> v > number;
                case ">=" -> v >= number;
                case "<" -> v < number;
                case "<=" -> v <= number;
                case "=" -> v.doubleValue() == number;
                default -> v.doubleValue() != number;
            };
        }
        String v = facts.text(signal);
        if (v == null) {
            return false;
        }
        boolean in = texts.stream().anyMatch(t -> t.equalsIgnoreCase(v));
        return op.equals("!=") ? !in : in;
    }

    /** The condition with the figure that met it: {@code cart_adds 3 >= 2}. */
    String explain(Facts facts) {
        if (number != null) {
            return signal + " " + Facts.format(facts.number(signal)) + " " + op + " " + Facts.format(number);
        }
        String list = op.equals("in") ? "[" + String.join(", ", texts) + "]" : texts.get(0);
        return signal + " " + facts.text(signal) + " " + op + " " + list;
    }
}
