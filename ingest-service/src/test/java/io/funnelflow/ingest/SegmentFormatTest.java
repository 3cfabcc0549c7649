package io.funnelflow.ingest;

import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.ingest.segment.SegmentFormat;
import io.funnelflow.ingest.track.Bodies;
import io.funnelflow.ingest.track.Candidate;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentFormatTest {

    static Candidate single(SegmentFormat.Call call, String json) {
        return SegmentFormat.single(call, Bodies.parse(json.getBytes(StandardCharsets.UTF_8), 1 << 20)).candidates().get(0);
    }

    @Test
    void ecommerceNamesBecomeStandardTypesAndOthersStayCustom() {
        assertThat(single(SegmentFormat.Call.TRACK, "{\"event\":\"Product Removed\",\"anonymousId\":\"a\"}").event().eventType())
                .isEqualTo("remove_from_cart");
        assertThat(single(SegmentFormat.Call.TRACK, "{\"event\":\"Coupon Applied\",\"anonymousId\":\"a\"}").event().eventType())
                .isEqualTo("Coupon Applied");
        assertThat(single(SegmentFormat.Call.SCREEN, "{\"name\":\"Home\",\"anonymousId\":\"a\"}").event().eventType())
                .isEqualTo("page_view");
        assertThat(single(SegmentFormat.Call.ALIAS, "{\"previousId\":\"a\",\"userId\":\"u\"}").event().metadata())
                .containsEntry("previous_id", "a");
    }

    @Test
    void mobileContextGivesPlatformAndDevice() {
        TrackedEvent e = single(SegmentFormat.Call.TRACK, """
                {"event":"Product Viewed","anonymousId":"a","context":{"os":{"name":"iOS"},"device":{"type":"ios","model":"iPad7,3"},
                 "sessionId":1700000000123}}""").event();
        assertThat(e.platform()).isEqualTo("ios");
        assertThat(e.device()).isEqualTo("tablet");
        assertThat(e.sessionId()).isEqualTo("1700000000123");
    }

    @Test
    void aPriceThatIsNoNumberIsRefusedWithItsPropertyPath() {
        Candidate c = single(SegmentFormat.Call.TRACK, "{\"event\":\"Product Added\",\"anonymousId\":\"a\",\"properties\":{\"price\":\"cheap\"}}");
        assertThat(c.event()).isNull();
        assertThat(c.unreadable().field()).isEqualTo("properties.price");
        assertThat(c.unreadable().reason()).isEqualTo("must be a number");
    }

    @Test
    void timestampsWithOffsetsAreRead() {
        TrackedEvent e = single(SegmentFormat.Call.PAGE, "{\"anonymousId\":\"a\",\"timestamp\":\"2026-11-22T11:00:00+01:00\"}").event();
        assertThat(e.timestamp()).hasToString("2026-11-22T10:00:00Z");
    }
}
