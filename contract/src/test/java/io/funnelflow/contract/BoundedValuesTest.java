package io.funnelflow.contract;

import io.funnelflow.contract.event.EventValidator;
import io.funnelflow.contract.event.MetadataLimits;
import io.funnelflow.contract.event.Numbers;
import io.funnelflow.contract.event.Texts;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.event.Violation;
import io.funnelflow.contract.json.Instants;
import io.funnelflow.contract.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Every value of an event is bounded before anything is computed from it, and refused by field and reason. */
class BoundedValuesTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final EventValidator VALIDATOR = new EventValidator();

    static TrackedEvent event(String pageUrl, BigDecimal price, BigDecimal revenue, Map<String, Object> metadata) {
        return new TrackedEvent("e-1", revenue == null ? "add_to_cart" : "purchase", NOW.minusSeconds(5), null, null, null,
                "s-1", null, "a-1", pageUrl, null, "google", "cpc", "winter", "web", "mobile", "p-9", "Boots", price, 1,
                revenue, "EUR", metadata).accepted("e-1", NOW, null);
    }

    static Violation first(TrackedEvent e) {
        List<Violation> v = VALIDATOR.validate(e);
        return v.isEmpty() ? null : v.get(0);
    }

    @Test
    void aHugeExponentIsRefusedByItsDigitsWithoutArithmetic() {
        // adding 1e100000000 to a revenue total would write out a hundred million digits: it must never get that far
        BigDecimal hostile = new BigDecimal("1e100000000");
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            assertThat(first(event(null, null, hostile, null)))
                    .isEqualTo(new Violation("revenue", "has more than 15 integer digits"));
            assertThat(first(event(null, hostile, null, null)))
                    .isEqualTo(new Violation("price", "has more than 15 integer digits"));
            assertThat(first(event(null, new BigDecimal("1e-100000000"), null, null)))
                    .isEqualTo(new Violation("price", "has more than 6 decimals"));
            assertThat(first(event(null, null, null, Map.of("score", hostile))))
                    .isEqualTo(new Violation("metadata.score", "has more than 15 integer digits"));
        });
    }

    @Test
    void amountsHaveAtMostFifteenIntegerDigitsAndSixDecimals() {
        assertThat(Numbers.amountProblem(new BigDecimal("999999999999999.999999"))).isNull();
        assertThat(Numbers.amountProblem(new BigDecimal("1000000000000000"))).isEqualTo("has more than 15 integer digits");
        assertThat(Numbers.amountProblem(new BigDecimal("0.0000001"))).isEqualTo("has more than 6 decimals");
        assertThat(Numbers.amountProblem(new BigDecimal("12.500000000000"))).as("trailing zeros are no decimals").isNull();
        assertThat(Numbers.amountProblem(new BigDecimal("1E+3"))).isNull();
        assertThat(first(event(null, new BigDecimal("-0.5"), null, null))).isEqualTo(new Violation("price", "must not be negative"));
    }

    @Test
    void metadataNumbersAreFiniteAndBoundedWhateverTypeTheMapperMadeOfThem() {
        assertThat(first(event(null, null, null, Map.of("x", Double.POSITIVE_INFINITY))))
                .isEqualTo(new Violation("metadata.x", "must be a finite number, not Infinity"));
        assertThat(first(event(null, null, null, Map.of("x", Double.NaN)))).extracting(Violation::reason)
                .isEqualTo("must be a finite number, not NaN");
        assertThat(first(event(null, null, null, Map.of("x", BigInteger.TEN.pow(30))))).extracting(Violation::field)
                .isEqualTo("metadata.x");
        assertThat(first(event(null, null, null, Map.of("x", 1e300)))).extracting(Violation::reason)
                .isEqualTo("has more than 15 integer digits");
        // a JavaScript double as it prints is a fine metadata value
        assertThat(first(event(null, null, null, Map.of("ratio", 0.1 + 0.2, "n", 42, "big", 123456789012345L)))).isNull();
    }

    @Test
    void theJsonMapperReadsMetadataFloatsAsDecimalsNeverAsInfiniteDoubles() throws Exception {
        TrackedEvent e = Json.mapper().readValue("{\"event_type\":\"x\",\"session_id\":\"s\",\"metadata\":{\"v\":1e400,\"w\":[1.5]}}", TrackedEvent.class);
        assertThat(e.metadata().get("v")).isInstanceOf(BigDecimal.class);
        assertThat(first(e.accepted("e", NOW, null))).isEqualTo(new Violation("metadata.v", "has more than 15 integer digits"));
    }

    @Test
    void identifiersAndNamesWithControlCharactersOrLoneSurrogatesAreRefused() {
        TrackedEvent nul = new TrackedEvent("e-1", "page_view", null, null, null, null, "s\u00001", null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null).accepted("e-1", NOW, null);
        assertThat(first(nul)).isEqualTo(new Violation("session_id", "contains control characters (such as NUL or a line break)"));
        TrackedEvent surrogate = new TrackedEvent("e-1", "page\uD800view", null, null, null, null, "s", null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null).accepted("e-1", NOW, null);
        assertThat(first(surrogate)).isEqualTo(new Violation("event_type", "contains an unpaired UTF-16 surrogate, which is not valid Unicode"));
        assertThat(Texts.problem("shoes \uD83D\uDC5F and socks")).as("a real pair is fine").isNull();
        assertThat(Texts.problem("\uDC5F\uD83D")).as("a pair in the wrong order is not").isNotNull();
        assertThat(first(event(null, null, null, Map.of("k\u0000", "v")))).isEqualTo(
                new Violation("metadata", "has a key that contains control characters (such as NUL or a line break)"));
    }

    @Test
    void freeTextHasControlCharactersAndLoneSurrogatesRemovedAndIsThenAccepted() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("note", "a\u0000b\nc\uD800");
        metadata.put("tags", List.of("ok", "x\u0007y"));
        metadata.put("nested", Map.of("deep", "\u001b[31mred"));
        metadata.put("emoji", "\uD83D\uDC5F");
        TrackedEvent raw = event("https://shop.example/\u0000p?\u0085q", null, null, metadata);
        assertThat(first(raw)).as("unstripped, it is refused").isNotNull();
        TrackedEvent clean = EventValidator.stripFreeText(raw);
        assertThat(first(clean)).isNull();
        assertThat(clean.pageUrl()).isEqualTo("https://shop.example/p?q");
        assertThat(clean.metadata()).containsEntry("note", "abc").containsEntry("tags", List.of("ok", "xy"))
                .containsEntry("nested", Map.of("deep", "[31mred")).containsEntry("emoji", "\uD83D\uDC5F");
        TrackedEvent tidy = event("https://shop.example/p", null, null, Map.of("a", "b"));
        assertThat(EventValidator.stripFreeText(tidy)).as("nothing to strip: the same event").isSameAs(tidy);
    }

    @Test
    void metadataIsCappedInKeysDepthArraysValuesAndSize() {
        MetadataLimits l = MetadataLimits.defaults();
        Map<String, Object> wide = new HashMap<>();
        for (int i = 0; i <= l.maxKeys(); i++) {
            wide.put("k" + i, i);
        }
        assertThat(first(event(null, null, null, wide))).isEqualTo(new Violation("metadata", "has more than 100 keys"));
        Map<String, Object> deep = Map.of("v", 1);
        for (int i = 0; i < l.maxDepth(); i++) {
            deep = Map.of("d", deep);
        }
        assertThat(first(event(null, null, null, deep))).extracting(Violation::reason).isEqualTo("nests deeper than 5 levels of metadata");
        List<Object> longList = new ArrayList<>();
        for (int i = 0; i <= l.maxArrayLength(); i++) {
            longList.add(i);
        }
        assertThat(first(event(null, null, null, Map.of("l", longList)))).isEqualTo(new Violation("metadata.l", "has more than 100 elements"));
        assertThat(first(event(null, null, null, Map.of("k".repeat(101), 1)))).isEqualTo(
                new Violation("metadata", "has a key longer than 100 characters"));
        assertThat(first(event(null, null, null, Map.of("s", "x".repeat(2049))))).isEqualTo(
                new Violation("metadata.s", "is longer than 2048 characters"));
        Map<String, Object> heavy = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            heavy.put("k" + i, "x".repeat(2000));
        }
        assertThat(first(event(null, null, null, heavy))).isEqualTo(new Violation("metadata", "is larger than 16384 bytes as JSON"));
        EventValidator roomy = new EventValidator(Duration.ofMinutes(10), new MetadataLimits(100, 100, 2048, 5, 100, 64 * 1024));
        assertThat(roomy.validate(event(null, null, null, heavy))).as("the limits are configurable").isEmpty();
    }

    @Test
    void rawClientTimesMustLieWhereAClockAndPostgresqlCanBe() {
        TrackedEvent ancient = new TrackedEvent("e", "page_view", Instant.parse("1969-12-31T23:59:59Z"),
                Instant.parse("1969-12-31T23:59:59Z"), null, null, "s", null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
        assertThat(VALIDATOR.validate(ancient.accepted("e", NOW, null))).extracting(Violation::field)
                .containsExactly("timestamp", "sent_at", "timestamp");
        // Instant's range is far wider than PostgreSQL's; the skew correction must not overflow on it either
        TrackedEvent farOut = new TrackedEvent("e", "page_view", Instant.parse("+1000000000-01-01T00:00:00Z"),
                Instant.parse("-1000000000-01-01T00:00:00Z"), null, null, "s", null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
        TrackedEvent accepted = farOut.accepted("e", NOW, null);
        assertThat(VALIDATOR.validate(accepted)).extracting(Violation::field).startsWith("timestamp", "sent_at");
        // a clock that is only wrong is corrected and taken
        TrackedEvent reset = new TrackedEvent("e", "page_view", Instant.parse("1980-01-01T00:00:00Z"),
                Instant.parse("1980-01-01T00:00:01Z"), null, null, "s", null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null).accepted("e", NOW, null);
        assertThat(VALIDATOR.validate(reset)).isEmpty();
        assertThat(reset.eventTime()).isEqualTo(NOW.minusSeconds(1));
    }

    @Test
    void acceptedTimesHaveMicrosecondsAtMostSoPostgresqlStoresTheMillisecondTheStreamCounts() {
        // JDBC rounds .123999700 to .124000: an event the stream counts at millisecond 123 would be stored at 124
        Instant received = Instant.parse("2026-11-22T10:00:00.123999700Z");
        TrackedEvent e = new TrackedEvent("e", "page_view", null, null, null, null, "s", null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null).accepted("e", received, null);
        assertThat(e.receivedAt()).isEqualTo(Instant.parse("2026-11-22T10:00:00.123999Z"));
        assertThat(e.eventTime()).isEqualTo(Instant.parse("2026-11-22T10:00:00.123999Z"));
        TrackedEvent skewed = new TrackedEvent("e", "page_view", Instant.parse("2026-11-22T09:00:00.000000001Z"),
                Instant.parse("2026-11-22T09:00:01Z"), null, null, "s", null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null).accepted("e", received, null);
        assertThat(skewed.eventTime()).isEqualTo(Instant.parse("2026-11-22T09:59:59.123999Z"));
    }

    /** Found by the fuzz test: a refused event whose sent_at was Long.MAX_VALUE epoch milliseconds could not be written. */
    @Test
    void everyInstantCanBeWrittenAndReadBackEvenFarBeyondYear9999() throws Exception {
        for (Instant far : new Instant[]{Instant.ofEpochMilli(Long.MAX_VALUE), Instant.ofEpochMilli(Long.MIN_VALUE),
                Instant.parse("-0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999Z")}) {
            String json = Json.mapper().writeValueAsString(far);
            assertThat(Json.mapper().readValue(json, Instant.class)).as(json).isEqualTo(far);
        }
        TrackedEvent e = new TrackedEvent("e", "page_view", null, Instant.ofEpochMilli(Long.MAX_VALUE), null, null, "s", null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null).accepted("e", NOW, null);
        assertThat(Json.mapper().valueToTree(e).get("sent_at").asText()).startsWith("+292278994-");
        assertThat(first(e)).extracting(Violation::field).isEqualTo("sent_at");
    }

    @Test
    void aDateTimeWithoutOffsetIsReadAsUtcAsPythonWritesIt() {
        assertThat(Instants.parse("2026-11-22T10:15:30.123456")).isEqualTo(Instant.parse("2026-11-22T10:15:30.123456Z"));
        assertThat(Instants.parse("2026-11-22T10:15:30")).isEqualTo(Instant.parse("2026-11-22T10:15:30Z"));
        assertThat(Instants.parse("2026-11-22T11:15:30+01:00")).isEqualTo(Instant.parse("2026-11-22T10:15:30Z"));
    }
}
