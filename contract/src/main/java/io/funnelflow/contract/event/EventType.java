package io.funnelflow.contract.event;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The standard event types. Any other {@code event_type} is a custom event: it is kept and counted
 * under its own name, it just has no built-in meaning.
 */
public enum EventType {
    AD_CLICK("ad_click"),
    /** A page view; the first one of a session is its landing. */
    PAGE_VIEW("page_view"),
    PRODUCT_VIEW("product_view"),
    ADD_TO_CART("add_to_cart"),
    REMOVE_FROM_CART("remove_from_cart"),
    CHECKOUT_START("checkout_start"),
    PURCHASE("purchase"),
    IDENTIFY("identify");

    private static final Map<String, EventType> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The name as it stands in {@code event_type}. */
    public String wireName() {
        return wireName;
    }

    /** The standard type of an {@code event_type}, empty for a custom event. */
    public static Optional<EventType> fromWireName(String name) {
        return Optional.ofNullable(name == null ? null : BY_WIRE_NAME.get(name));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
