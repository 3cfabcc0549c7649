package io.funnelflow.ingest.privacy;

import io.funnelflow.contract.event.TrackedEvent;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * Page URLs are kept without what may identify a visitor: their query string and fragment (search terms,
 * e-mail addresses in links, password-reset and session tokens, OAuth codes) and any user name or
 * password before the host. A query parameter survives only when it is a campaign parameter
 * ({@code utm_*}) or named in the allow-list ({@code FUNNELFLOW_URL_QUERY_ALLOWLIST}). Applied once, at
 * ingest, to {@code page_url}, {@code referrer} and the URL-valued and {@code search} properties of
 * {@code metadata} (Segment's page properties), before an event is published anywhere.
 */
public final class UrlPolicy {

    private final Set<String> allowed;

    /** @param allowList comma-separated parameter names kept besides {@code utm_*}; blank for none */
    public UrlPolicy(String allowList) {
        this.allowed = allowList == null ? Set.of() : Arrays.stream(allowList.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** The event with its URLs stripped; the same instance when nothing had to go. */
    public TrackedEvent apply(TrackedEvent e) {
        String page = strip(e.pageUrl());
        String referrer = strip(e.referrer());
        Map<String, Object> metadata = metadata(e.metadata());
        if (same(page, e.pageUrl()) && same(referrer, e.referrer()) && metadata == e.metadata()) {
            return e;
        }
        return new TrackedEvent(e.eventId(), e.eventType(), e.timestamp(), e.sentAt(), e.receivedAt(), e.eventTime(),
                e.sessionId(), e.userId(), e.anonymousId(), page, referrer, e.utmSource(), e.utmMedium(), e.utmCampaign(),
                e.platform(), e.device(), e.productId(), e.productName(), e.price(), e.quantity(), e.revenue(), e.currency(),
                metadata);
    }

    /** {@code url} without user info, fragment and the query parameters that are not kept; null stays null. */
    public String strip(String url) {
        if (url == null || url.isEmpty()) {
            return url;
        }
        String out = url;
        int hash = out.indexOf('#');
        if (hash >= 0) {
            out = out.substring(0, hash);
        }
        String query = null;
        int question = out.indexOf('?');
        if (question >= 0) {
            query = out.substring(question + 1);
            out = out.substring(0, question);
        }
        out = withoutUserInfo(out);
        String kept = query == null ? "" : keptQuery(query);
        return kept.isEmpty() ? out : out + "?" + kept;
    }

    /** The parameters of a query string ({@code a=1&b=2}, without the {@code ?}) that are kept, in their order. */
    String keptQuery(String query) {
        StringJoiner kept = new StringJoiner("&");
        for (String pair : query.split("[&;]")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (name.toLowerCase(Locale.ROOT).startsWith("utm_") || allowed.contains(name)) {
                kept.add(pair);
            }
        }
        return kept.toString();
    }

    private static String withoutUserInfo(String url) {
        int scheme = url.indexOf("://");
        if (scheme <= 0) {
            return url;
        }
        int start = scheme + 3;
        int end = url.indexOf('/', start);
        String authority = end < 0 ? url.substring(start) : url.substring(start, end);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        return url.substring(0, start) + authority.substring(at + 1) + (end < 0 ? "" : url.substring(end));
    }

    /** Metadata with its URL-valued properties and Segment's {@code search} stripped; the same map when nothing changed. */
    private Map<String, Object> metadata(Map<String, Object> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return metadata;
        }
        Map<String, Object> out = null;
        for (Map.Entry<String, Object> entry : metadata.entrySet()) {
            if (!(entry.getValue() instanceof String value)) {
                continue;
            }
            String stripped = value;
            if (entry.getKey().equals("search")) {
                String query = keptQuery(value.startsWith("?") ? value.substring(1) : value);
                stripped = query.isEmpty() ? "" : "?" + query;
            } else if (isUrl(value)) {
                stripped = strip(value);
            }
            if (!stripped.equals(value)) {
                if (out == null) {
                    out = new LinkedHashMap<>(metadata);
                }
                out.put(entry.getKey(), stripped);
            }
        }
        return out == null ? metadata : out;
    }

    private static boolean isUrl(String value) {
        return value.regionMatches(true, 0, "http://", 0, 7) || value.regionMatches(true, 0, "https://", 0, 8);
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }
}
