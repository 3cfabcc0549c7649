package io.funnelflow.ingest.privacy;

import io.funnelflow.contract.event.TrackedEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UrlPolicyTest {

    final UrlPolicy policy = new UrlPolicy(" page, category ,");

    @Test
    void theQueryKeepsOnlyCampaignAndAllowedParametersInTheirOrder() {
        assertThat(policy.strip("https://shop.example/p/42?email=ann%40example.com&utm_source=news&page=2&token=abc&UTM_Medium=mail"))
                .isEqualTo("https://shop.example/p/42?utm_source=news&page=2&UTM_Medium=mail");
        assertThat(policy.strip("https://shop.example/search?q=red+shoes&sid=123")).isEqualTo("https://shop.example/search");
        assertThat(policy.strip("/cart?coupon=ANN-42")).isEqualTo("/cart");
        assertThat(policy.strip("https://shop.example/?")).isEqualTo("https://shop.example/");
        // an allowed name matches exactly: no prefix, no other case
        assertThat(policy.strip("https://shop.example/?pages=1&Page=2&category=socks")).isEqualTo("https://shop.example/?category=socks");
    }

    @Test
    void theFragmentAndAnyUserInfoGo() {
        assertThat(policy.strip("https://shop.example/reset#token=secret")).isEqualTo("https://shop.example/reset");
        assertThat(policy.strip("https://ann:pw@shop.example/p?utm_campaign=x#top")).isEqualTo("https://shop.example/p?utm_campaign=x");
        assertThat(policy.strip("https://ann@example.com@shop.example")).isEqualTo("https://shop.example");
        // an @ after the host is part of the path, not user info
        assertThat(policy.strip("https://shop.example/u/@ann")).isEqualTo("https://shop.example/u/@ann");
    }

    @Test
    void nothingElseChanges() {
        assertThat(policy.strip(null)).isNull();
        assertThat(policy.strip("")).isEmpty();
        assertThat(policy.strip("https://shop.example/p/42")).isEqualTo("https://shop.example/p/42");
        assertThat(policy.strip("not a url at all")).isEqualTo("not a url at all");
        TrackedEvent clean = event("https://shop.example/", null, Map.of("color", "red"));
        assertThat(policy.apply(clean)).isSameAs(clean);
    }

    @Test
    void anEventLosesItThroughPageUrlReferrerAndMetadataUrls() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("search", "?q=ann%40example.com&utm_term=socks");
        metadata.put("url", "https://shop.example/p?session=9");
        metadata.put("note", "see https://x.example/?a=1 later");
        metadata.put("size", 42);
        TrackedEvent e = policy.apply(event("https://shop.example/p?email=ann%40example.com&utm_source=g",
                "https://mail.example/inbox?msg=77", metadata));

        assertThat(e.pageUrl()).isEqualTo("https://shop.example/p?utm_source=g");
        assertThat(e.referrer()).isEqualTo("https://mail.example/inbox");
        assertThat(e.metadata()).containsEntry("search", "?utm_term=socks").containsEntry("url", "https://shop.example/p")
                .containsEntry("note", "see https://x.example/?a=1 later").containsEntry("size", 42);
        assertThat(e.eventId()).isEqualTo("e-1");
        assertThat(e.userId()).isEqualTo("u-1");
    }

    @Test
    void withoutAnAllowListOnlyCampaignParametersStay() {
        assertThat(new UrlPolicy(null).strip("https://shop.example/?page=2&utm_content=a")).isEqualTo("https://shop.example/?utm_content=a");
        assertThat(new UrlPolicy("").strip("https://shop.example/?page=2")).isEqualTo("https://shop.example/");
    }

    static TrackedEvent event(String page, String referrer, Map<String, Object> metadata) {
        Instant at = Instant.parse("2026-11-22T10:00:00Z");
        return new TrackedEvent("e-1", "page_view", at, at, at, at, "s-1", "u-1", "a-1", page, referrer, "g", null, null,
                "web", "desktop", null, null, null, null, null, null, metadata);
    }
}
