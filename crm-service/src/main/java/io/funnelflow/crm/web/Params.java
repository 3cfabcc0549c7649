package io.funnelflow.crm.web;

import io.funnelflow.contract.json.Instants;
import io.funnelflow.service.security.ApiTokenValidator;
import io.micronaut.security.authentication.Authentication;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Collection;
import java.util.regex.Pattern;

/** Bounds on what requests may ask: every parameter is checked before any work is done on it. */
final class Params {

    static final Pattern LEAD_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,63}");

    private Params() {
    }

    static int limit(String text, int fallback, int max) {
        if (text == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw BadInput.parameter("limit", "must be a whole number from 1 to " + max + ", not '" + clip(text) + "'");
    }

    static String leadId(String id) {
        return leadId("id", id);
    }

    static String leadId(String name, String id) {
        if (id == null || !LEAD_ID.matcher(id).matches()) {
            throw BadInput.parameter(name, "a lead id is 1-64 letters, digits or _ . : @ + - (starting with a letter or digit)");
        }
        return id;
    }

    static String oneOf(String name, String value, Collection<String> allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return allowed.stream().filter(a -> a.equalsIgnoreCase(value.trim())).findFirst()
                .orElseThrow(() -> BadInput.parameter(name, "must be one of " + String.join(", ", allowed) + ", not '" + clip(value) + "'"));
    }

    static String text(String name, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            throw BadInput.parameter(name, "must be at most " + max + " characters");
        }
        return value.trim();
    }

    static Instant time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instants.parse(value);
        } catch (DateTimeException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw BadInput.parameter(name, "must be an ISO-8601 date-time with offset such as 2026-11-22T10:15:30Z");
        }
    }

    /** Who is asking: the token's label, else its id. */
    static String actor(Authentication auth) {
        if (auth == null) {
            return "unknown";
        }
        Object label = auth.getAttributes().get(ApiTokenValidator.LABEL);
        return label != null && !label.toString().isBlank() ? label + " (" + auth.getName() + ")" : auth.getName();
    }

    static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
