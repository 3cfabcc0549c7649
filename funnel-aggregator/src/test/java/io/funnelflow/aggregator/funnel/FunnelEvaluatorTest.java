package io.funnelflow.aggregator.funnel;

import io.funnelflow.contract.funnel.FunnelDefinition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FunnelEvaluatorTest {

    private static final String LANDING = "page_view";
    private static final String PRODUCT = "product_view";
    private static final String CART = "add_to_cart";
    private static final String CHECKOUT = "checkout_start";
    private static final String PURCHASE = "purchase";

    /** landing -> product_view -> add_to_cart -> checkout_start -> purchase */
    private static final FunnelDefinition SHOP = FunnelDefinition.DEFAULT;

    private final FunnelEvaluator evaluator = new FunnelEvaluator();

    // ---- ordered ------------------------------------------------------------------------------

    @Test
    void orderedAllowsOtherEventsBetweenSteps() {
        FunnelSession session = session(null,
                LANDING, 0,
                "ad_click", 500,
                "newsletter_signup", 700,   // custom event
                PRODUCT, 1_000,
                "remove_from_cart", 1_800,
                PRODUCT, 2_000,             // a second product view changes nothing
                CART, 3_000);

        // landing@0 -> product_view@1000 (first one) -> add_to_cart@3000; no checkout
        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.ORDERED, session))
                .isEqualTo(new SessionFunnel(3, new long[] {0, 1_000, 3_000}));

        FunnelReport report = evaluate(FunnelMode.ORDERED, FunnelCount.SESSIONS, List.of(session));
        assertThat(counts(report)).containsExactly(1, 1, 1, 0, 0);
        assertThat(report.steps().get(1).medianSecondsFromPrevious()).isEqualTo(1.0);
        assertThat(report.steps().get(2).medianSecondsFromPrevious()).isEqualTo(2.0);
        assertThat(report.steps().get(3).medianSecondsFromPrevious()).isNull();
    }

    @Test
    void orderedStopsAtASkippedStepAndIgnoresStepsDoneTooEarly() {
        // no product view: stops after landing although cart and purchase happen later
        FunnelSession skipper = session("a", LANDING, 0, CART, 1_000, PURCHASE, 2_000);
        // product view only before landing: does not count as step 2
        FunnelSession early = session("a", PRODUCT, 0, LANDING, 1_000, CART, 2_000);
        FunnelSession shopper = session("a", LANDING, 0, PRODUCT, 1_000, CART, 2_000);

        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.ORDERED, skipper).depth()).isEqualTo(1);
        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.ORDERED, early).depth()).isEqualTo(1);
        assertThat(FunnelEvaluator.reachedDepth(SHOP, FunnelMode.ORDERED, shopper)).isEqualTo(3);

        FunnelReport report = evaluate(FunnelMode.ORDERED, FunnelCount.SESSIONS, List.of(skipper, early, shopper));
        // 3 landed, 1 viewed a product, 1 added to cart, nobody went on
        assertThat(counts(report)).containsExactly(3, 1, 1, 0, 0);
        FunnelReport.Step product = report.steps().get(1);
        assertThat(product.index()).isEqualTo(2);
        assertThat(product.label()).isEqualTo(PRODUCT);
        assertThat(product.conversionFromPrevious()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(product.dropOff()).isEqualTo(2);
        assertThat(product.dropOffRate()).isCloseTo(2.0 / 3, within(1e-12));
        FunnelReport.Step cart = report.steps().get(2);
        assertThat(cart.conversionFromPrevious()).isEqualTo(1.0);
        assertThat(cart.conversionFromStart()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(cart.dropOff()).isZero();
        assertThat(cart.dropOffRate()).isEqualTo(0.0);
    }

    @Test
    void equalTimestampsCountAsInOrderAndKeepTheListedOrder() {
        // all in the same millisecond, listed in funnel order: every step reached in 0 s
        FunnelSession inOrder = session(null, LANDING, 1_000, PRODUCT, 1_000, CART, 1_000);
        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.ORDERED, inOrder))
                .isEqualTo(new SessionFunnel(3, new long[] {1_000, 1_000, 1_000}));
        FunnelReport report = evaluate(FunnelMode.ORDERED, FunnelCount.SESSIONS, List.of(inOrder));
        assertThat(counts(report)).containsExactly(1, 1, 1, 0, 0);
        assertThat(report.steps().get(1).medianSecondsFromPrevious()).isEqualTo(0.0);
        assertThat(report.steps().get(2).medianSecondsFromPrevious()).isEqualTo(0.0);

        // same millisecond listed backwards: ties keep the listed order, so landing comes last
        FunnelSession backwards = session(null, CART, 1_000, PRODUCT, 1_000, LANDING, 1_000);
        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.ORDERED, backwards).depth()).isEqualTo(1);

        // events are sorted by time, and only ties follow the listing: landing and product share 1000
        FunnelSession mixed = session(null, CART, 2_000, PRODUCT, 1_000, LANDING, 1_000);
        // sorted: product@1000(idx1), landing@1000(idx2), cart@2000 -> product is before landing
        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.ORDERED, mixed).depth()).isEqualTo(1);
    }

    @Test
    void inputOrderDoesNotMatterWhenTimesDiffer() {
        Random random = new Random(20_240_611L);
        List<FunnelSession> sorted = generate(random, 400);
        List<FunnelSession> shuffled = new ArrayList<>();
        for (FunnelSession session : sorted) {
            shuffled.add(shuffle(session, random));
        }
        // the shuffle really changed something
        assertThat(shuffled).isNotEqualTo(sorted);

        for (FunnelMode mode : FunnelMode.values()) {
            for (FunnelCount count : FunnelCount.values()) {
                FunnelReport fromSorted = evaluator.evaluate(SHOP, mode, count, sorted, true);
                FunnelReport fromShuffled = evaluator.evaluate(SHOP, mode, count, shuffled, true);
                assertThat(fromShuffled).isEqualTo(fromSorted);
                assertThat(fromShuffled.breakdown().keySet()).containsExactlyElementsOf(fromSorted.breakdown().keySet());
                // the data is not trivial: some sessions get to checkout in every mode
                assertThat(fromSorted.steps().get(3).count()).as("%s/%s", mode, count).isPositive();
            }
            for (int i = 0; i < sorted.size(); i++) {
                assertThat(FunnelEvaluator.match(SHOP, mode, shuffled.get(i)))
                        .isEqualTo(FunnelEvaluator.match(SHOP, mode, sorted.get(i)));
            }
        }
    }

    @Test
    void strictNeverGetsFurtherThanOrderedAndOrderedNeverFurtherThanAnyOrder() {
        List<FunnelSession> sessions = generate(new Random(7L), 400);
        int strictShorter = 0;
        int orderedShorter = 0;
        for (FunnelSession session : sessions) {
            int strict = FunnelEvaluator.reachedDepth(SHOP, FunnelMode.STRICT, session);
            int ordered = FunnelEvaluator.reachedDepth(SHOP, FunnelMode.ORDERED, session);
            int anyOrder = FunnelEvaluator.reachedDepth(SHOP, FunnelMode.ANY_ORDER, session);
            assertThat(strict).isLessThanOrEqualTo(ordered);
            assertThat(ordered).isLessThanOrEqualTo(anyOrder);
            strictShorter += strict < ordered ? 1 : 0;
            orderedShorter += ordered < anyOrder ? 1 : 0;
        }
        // the modes do differ on this data
        assertThat(strictShorter).isPositive();
        assertThat(orderedShorter).isPositive();
    }

    // ---- strict -------------------------------------------------------------------------------

    @Test
    void strictFailsWhenAnotherStepInterveneButMayStartOver() {
        FunnelSession session = session(null,
                LANDING, 0,
                CART, 1_000,                // another funnel step before product view: first journey ends
                PRODUCT, 2_000,
                LANDING, 3_000,             // second journey
                "newsletter_signup", 3_500, // not a funnel step: ignored
                "ad_click", 3_600,          // not a step of this funnel either
                PRODUCT, 4_000,
                CART, 6_000);

        // second journey: landing@3000 -> product@4000 -> cart@6000
        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.STRICT, session))
                .isEqualTo(new SessionFunnel(3, new long[] {3_000, 4_000, 6_000}));
        // ordered ignores the intervening cart: landing@0 -> product@2000 -> cart@6000
        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.ORDERED, session))
                .isEqualTo(new SessionFunnel(3, new long[] {0, 2_000, 6_000}));

        FunnelReport strict = evaluate(FunnelMode.STRICT, FunnelCount.SESSIONS, List.of(session));
        assertThat(counts(strict)).containsExactly(1, 1, 1, 0, 0);
        assertThat(strict.steps().get(1).medianSecondsFromPrevious()).isEqualTo(1.0);
        assertThat(strict.steps().get(2).medianSecondsFromPrevious()).isEqualTo(2.0);
        FunnelReport ordered = evaluate(FunnelMode.ORDERED, FunnelCount.SESSIONS, List.of(session));
        assertThat(ordered.steps().get(1).medianSecondsFromPrevious()).isEqualTo(2.0);
        assertThat(ordered.steps().get(2).medianSecondsFromPrevious()).isEqualTo(4.0);
    }

    @Test
    void strictWithoutALaterStartStopsAtTheBreak() {
        FunnelSession session = session(null, LANDING, 0, CART, 1_000, PRODUCT, 2_000);
        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.STRICT, session))
                .isEqualTo(new SessionFunnel(1, new long[] {0}));
        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.ORDERED, session).depth()).isEqualTo(2);
    }

    @Test
    void strictReportsTheEarliestOfEquallyGoodJourneys() {
        // two journeys of 2 steps each: landing@0 -> product@1000, landing@5000 -> product@7000
        FunnelSession session = session(null, LANDING, 0, PRODUCT, 1_000, LANDING, 5_000, PRODUCT, 7_000);
        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.STRICT, session))
                .isEqualTo(new SessionFunnel(2, new long[] {0, 1_000}));
    }

    // ---- any order ----------------------------------------------------------------------------

    @Test
    void anyOrderNeedsEachStepOnceAndUsesFirstTimes() {
        // cart@0, product@2000, landing@5000: all three steps, first times [5000, 2000, 0]
        FunnelSession backwards = session("x", CART, 0, PRODUCT, 2_000, LANDING, 5_000, PRODUCT, 6_000);
        // landing@0, cart@1000, product@4000: first times [0, 4000, 1000]
        FunnelSession shuffledSteps = session("x", LANDING, 0, CART, 1_000, PRODUCT, 4_000);
        // no landing: does not enter
        FunnelSession noLanding = session("x", PRODUCT, 0, CART, 1_000);
        // landing and cart but no product view: only step 1
        FunnelSession gap = session("x", LANDING, 0, CART, 1_000);

        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.ANY_ORDER, backwards))
                .isEqualTo(new SessionFunnel(3, new long[] {5_000, 2_000, 0}));
        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.ANY_ORDER, noLanding)).isEqualTo(SessionFunnel.NOT_ENTERED);
        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.ANY_ORDER, gap).depth()).isEqualTo(1);
        // ordered: landing@5000 -> product@6000, the cart came before
        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.ORDERED, backwards).depth()).isEqualTo(2);

        FunnelReport report = evaluate(FunnelMode.ANY_ORDER, FunnelCount.SESSIONS,
                List.of(backwards, shuffledSteps, noLanding, gap));
        assertThat(report.mode()).isEqualTo("any_order");
        assertThat(counts(report)).containsExactly(3, 2, 2, 0, 0);
        // step 2: backwards max(0, 2000-5000)=0 s, shuffledSteps 4000-0=4 s -> median (0+4)/2 = 2
        assertThat(report.steps().get(1).medianSecondsFromPrevious()).isEqualTo(2.0);
        // step 3: max(0, 0-2000)=0 s and max(0, 1000-4000)=0 s
        assertThat(report.steps().get(2).medianSecondsFromPrevious()).isEqualTo(0.0);
    }

    // ---- counting events ----------------------------------------------------------------------

    @Test
    void eventsCountRepeatsFromTheMomentThePreviousStepWasReached() {
        FunnelSession repeater = session(null,
                PRODUCT, 0,        // before landing: not counted in ordered
                LANDING, 1_000,
                LANDING, 2_000,
                PRODUCT, 3_000,
                PRODUCT, 4_000,
                CART, 5_000,
                PRODUCT, 6_000);
        FunnelSession brief = session(null, LANDING, 0, PRODUCT, 100);
        FunnelSession neverLanded = session(null, PRODUCT, 0, CART, 10);
        List<FunnelSession> sessions = List.of(repeater, brief, neverLanded);

        // ordered: repeater matches landing@1000, product@3000, cart@5000
        //   landing events: 2; product events at/after 1000: 3000, 4000, 6000 = 3;
        //   cart at/after 3000: 1; checkout at/after 5000: 0; purchase: step 4 not reached -> 0
        // brief: landing 1, product at/after 0: 1, cart at/after 100: 0
        // neverLanded: nothing
        FunnelReport ordered = evaluate(FunnelMode.ORDERED, FunnelCount.EVENTS, sessions);
        assertThat(ordered.count()).isEqualTo("events");
        assertThat(counts(ordered)).containsExactly(3, 4, 1, 0, 0);
        FunnelReport.Step product = ordered.steps().get(1);
        assertThat(product.conversionFromPrevious()).isCloseTo(4.0 / 3, within(1e-12));
        assertThat(product.dropOff()).isEqualTo(-1);
        assertThat(product.dropOffRate()).isCloseTo(-1.0 / 3, within(1e-12));
        FunnelReport.Step cart = ordered.steps().get(2);
        assertThat(cart.conversionFromPrevious()).isEqualTo(0.25);
        assertThat(cart.conversionFromStart()).isCloseTo(1.0 / 3, within(1e-12));
        // medians still over sessions reaching the step: product (2 s, 0.1 s) -> 1.05 s
        assertThat(product.medianSecondsFromPrevious()).isCloseTo(1.05, within(1e-12));

        // the same sessions counted as sessions
        assertThat(counts(evaluate(FunnelMode.ORDERED, FunnelCount.SESSIONS, sessions))).containsExactly(2, 2, 1, 0, 0);

        // any_order: every step event of sessions that reached the previous step
        //   repeater reaches 3: landing 2, product 4 (including the one at 0), cart 1, checkout 0
        //   brief reaches 2: landing 1, product 1, cart 0
        assertThat(counts(evaluate(FunnelMode.ANY_ORDER, FunnelCount.EVENTS, sessions))).containsExactly(3, 5, 1, 0, 0);
    }

    // ---- medians, rates ----------------------------------------------------------------------

    @Test
    void mediansOfOddAndEvenCounts() {
        FunnelDefinition signup = new FunnelDefinition("signup", List.of(LANDING, "signup_started", "signup_completed"));
        List<FunnelSession> sessions = List.of(
                session(null, LANDING, 0, "signup_started", 1_000, "signup_completed", 5_000),          // 1 s, 4 s
                session(null, LANDING, 0, "signup_started", 3_000, "signup_completed", 3_500),          // 3 s, 0.5 s
                session(null, LANDING, 10_000, "signup_started", 18_000, "signup_completed", 28_000),   // 8 s, 10 s
                session(null, LANDING, 0, "signup_started", 2_000),                                     // 2 s
                session(null, LANDING, 0));

        FunnelReport report = evaluator.evaluate(signup, FunnelMode.ORDERED, FunnelCount.SESSIONS, sessions, false);
        assertThat(report.funnel()).isEqualTo("signup");
        assertThat(counts(report)).containsExactly(5, 4, 3);
        assertThat(report.steps().get(0).label()).isEqualTo("landing");
        assertThat(report.steps().get(0).medianSecondsFromPrevious()).isNull();
        // even: 1, 2, 3, 8 -> (2 + 3) / 2
        assertThat(report.steps().get(1).medianSecondsFromPrevious()).isEqualTo(2.5);
        // odd: 0.5, 4, 10 -> 4
        assertThat(report.steps().get(2).medianSecondsFromPrevious()).isEqualTo(4.0);
    }

    @Test
    void ratesWithAZeroDenominatorAreZero() {
        // two landings, nobody views a product
        List<FunnelSession> sessions = List.of(session(null, LANDING, 0), session(null, LANDING, 0, CART, 10));
        FunnelReport report = evaluate(FunnelMode.ORDERED, FunnelCount.SESSIONS, sessions);
        assertThat(counts(report)).containsExactly(2, 0, 0, 0, 0);

        FunnelReport.Step landing = report.steps().get(0);
        assertThat(landing.conversionFromPrevious()).isEqualTo(1.0);
        assertThat(landing.conversionFromStart()).isEqualTo(1.0);
        assertThat(landing.dropOff()).isZero();
        assertThat(landing.dropOffRate()).isEqualTo(0.0);

        FunnelReport.Step product = report.steps().get(1);   // 0 of 2
        assertThat(product.conversionFromPrevious()).isEqualTo(0.0);
        assertThat(product.dropOff()).isEqualTo(2);
        assertThat(product.dropOffRate()).isEqualTo(1.0);
        assertThat(product.medianSecondsFromPrevious()).isNull();

        FunnelReport.Step cart = report.steps().get(2);      // 0 of 0
        assertThat(cart.conversionFromPrevious()).isEqualTo(0.0);
        assertThat(cart.conversionFromStart()).isEqualTo(0.0);
        assertThat(cart.dropOff()).isZero();
        assertThat(cart.dropOffRate()).isEqualTo(0.0);
    }

    @Test
    void nobodyEntersWhenStepOneNeverOccurs() {
        List<FunnelSession> sessions = List.of(
                session("a", PRODUCT, 0, CART, 1_000, CHECKOUT, 2_000, PURCHASE, 3_000),
                session(null, CART, 0));
        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.ORDERED, sessions.get(0))).isEqualTo(SessionFunnel.NOT_ENTERED);

        for (FunnelMode mode : FunnelMode.values()) {
            for (FunnelCount count : FunnelCount.values()) {
                FunnelReport report = evaluator.evaluate(SHOP, mode, count, sessions, true);
                assertThat(counts(report)).containsExactly(0, 0, 0, 0, 0);
                for (FunnelReport.Step step : report.steps()) {
                    assertThat(step.conversionFromPrevious()).isEqualTo(0.0);
                    assertThat(step.conversionFromStart()).isEqualTo(0.0);
                    assertThat(step.dropOff()).isZero();
                    assertThat(step.dropOffRate()).isEqualTo(0.0);
                    assertThat(step.medianSecondsFromPrevious()).isNull();
                }
                // a value none of whose sessions entered says nothing about the funnel: not listed
                assertThat(report.breakdown()).isEmpty();
            }
        }
        FunnelReport empty = evaluator.evaluate(SHOP, FunnelMode.ORDERED, FunnelCount.SESSIONS, List.of(), true);
        assertThat(counts(empty)).containsExactly(0, 0, 0, 0, 0);
        assertThat(empty.breakdown()).isEmpty();
    }

    // ---- breakdown ----------------------------------------------------------------------------

    @Test
    void breakdownGroupsByValueMostEnteredFirstThenByName() {
        List<FunnelSession> sessions = List.of(
                session("newsletter", LANDING, 0, PRODUCT, 1_000, CART, 2_000),
                session("newsletter", LANDING, 0, PRODUCT, 3_000),
                session("newsletter", LANDING, 0),
                session("ads", LANDING, 0, PRODUCT, 5_000),
                session("ads", LANDING, 0),
                session(null, LANDING, 0, PRODUCT, 1_000, CART, 2_000, CHECKOUT, 3_000),
                session(null, LANDING, 0),
                session("zeta", PRODUCT, 0));   // never lands

        FunnelReport report = evaluate(FunnelMode.ORDERED, FunnelCount.SESSIONS, sessions);
        assertThat(counts(report)).containsExactly(7, 4, 2, 1, 0);
        // newsletter 3; "(none)" and "ads" 2 each, by name ('(' sorts before 'a'); zeta never entered: not listed
        assertThat(report.breakdown().keySet()).containsExactly("newsletter", "(none)", "ads");
        assertThat(counts(report.breakdown().get("newsletter"))).containsExactly(3, 2, 1, 0, 0);
        assertThat(counts(report.breakdown().get("(none)"))).containsExactly(2, 1, 1, 1, 0);
        assertThat(counts(report.breakdown().get("ads"))).containsExactly(2, 1, 0, 0, 0);
        // each value's rates and medians are its own: ads 1 of 2 viewed a product, after 5 s
        FunnelReport.Step adsProduct = report.breakdown().get("ads").get(1);
        assertThat(adsProduct.conversionFromPrevious()).isEqualTo(0.5);
        assertThat(adsProduct.medianSecondsFromPrevious()).isEqualTo(5.0);
        // overall product median: newsletter 1 s, 3 s; ads 5 s; none 1 s -> 1, 1, 3, 5 -> 2
        assertThat(report.steps().get(1).medianSecondsFromPrevious()).isEqualTo(2.0);

        FunnelReport without = evaluator.evaluate(SHOP, FunnelMode.ORDERED, FunnelCount.SESSIONS, sessions, false);
        assertThat(without.breakdown()).isEmpty();
        assertThat(without.steps()).isEqualTo(report.steps());
    }

    // ---- parsing, values ----------------------------------------------------------------------

    @Test
    void modesAndCountsParseFromWireNames() {
        assertThat(FunnelMode.parse("ordered")).isEqualTo(FunnelMode.ORDERED);
        assertThat(FunnelMode.parse("strict")).isEqualTo(FunnelMode.STRICT);
        assertThat(FunnelMode.parse("any_order")).isEqualTo(FunnelMode.ANY_ORDER);
        assertThat(FunnelMode.DEFAULT).isEqualTo(FunnelMode.ORDERED);
        assertThat(FunnelCount.parse("sessions")).isEqualTo(FunnelCount.SESSIONS);
        assertThat(FunnelCount.parse("events")).isEqualTo(FunnelCount.EVENTS);
        assertThat(FunnelCount.DEFAULT).isEqualTo(FunnelCount.SESSIONS);

        assertThatThrownBy(() -> FunnelMode.parse("sideways"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ordered, strict, any_order");
        assertThatThrownBy(() -> FunnelMode.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FunnelCount.parse("visitors"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sessions, events");
    }

    @Test
    void sessionsAreImmutableAndConsistent() {
        long[] times = {0, 1_000};
        FunnelSession session = new FunnelSession(null, List.of(LANDING, PRODUCT), times);
        times[1] = -5_000;   // changing the caller's array changes nothing
        session.eventTimesMillis()[1] = -5_000;
        assertThat(FunnelEvaluator.match(SHOP, FunnelMode.ORDERED, session).depth()).isEqualTo(2);
        assertThat(session.breakdownKey()).isEqualTo("(none)");

        assertThatThrownBy(() -> new FunnelSession(null, List.of(LANDING), new long[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private FunnelReport evaluate(FunnelMode mode, FunnelCount count, List<FunnelSession> sessions) {
        return evaluator.evaluate(SHOP, mode, count, sessions, true);
    }

    private static long[] counts(FunnelReport report) {
        return counts(report.steps());
    }

    private static long[] counts(List<FunnelReport.Step> steps) {
        return steps.stream().mapToLong(FunnelReport.Step::count).toArray();
    }

    /** A session from alternating event types and times. */
    private static FunnelSession session(String breakdown, Object... typesAndTimes) {
        List<String> types = new ArrayList<>();
        long[] times = new long[typesAndTimes.length / 2];
        for (int i = 0; i < times.length; i++) {
            types.add((String) typesAndTimes[2 * i]);
            times[i] = ((Number) typesAndTimes[2 * i + 1]).longValue();
        }
        return new FunnelSession(breakdown, types, times);
    }

    /**
     * Sessions with distinct, increasing event times that mostly walk the shop funnel forward, with
     * repeats, skips, other funnel steps and custom events mixed in.
     */
    private static List<FunnelSession> generate(Random random, int count) {
        List<String> steps = SHOP.steps();
        List<String> noise = List.of(LANDING, PRODUCT, CART, CHECKOUT, PURCHASE, "ad_click", "search", "remove_from_cart");
        List<String> sources = Arrays.asList("ads", "direct", "newsletter", null);
        List<FunnelSession> sessions = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            int size = 1 + random.nextInt(14);
            List<String> types = new ArrayList<>();
            long[] times = new long[size];
            long time = 1_700_000_000_000L + random.nextInt(1_000_000);
            int cursor = 0;
            for (int i = 0; i < size; i++) {
                boolean forward = random.nextInt(10) < 6 && cursor < steps.size();
                types.add(forward ? steps.get(cursor++) : noise.get(random.nextInt(noise.size())));
                time += 1 + random.nextInt(120_000);
                times[i] = time;
            }
            sessions.add(new FunnelSession(sources.get(random.nextInt(sources.size())), types, times));
        }
        return sessions;
    }

    private static FunnelSession shuffle(FunnelSession session, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < session.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        long[] times = session.eventTimesMillis();
        List<String> types = new ArrayList<>();
        long[] shuffledTimes = new long[times.length];
        for (int i = 0; i < order.size(); i++) {
            types.add(session.eventTypes().get(order.get(i)));
            shuffledTimes[i] = times[order.get(i)];
        }
        return new FunnelSession(session.breakdownValue(), types, shuffledTimes);
    }
}
