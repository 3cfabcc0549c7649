package io.funnelflow.crm.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.lead.Lead;
import io.funnelflow.contract.lead.LeadCommand;
import io.funnelflow.contract.lead.LeadOverride;
import io.funnelflow.contract.lead.LeadTransition;
import io.funnelflow.contract.lead.RulesVersion;
import io.funnelflow.contract.prediction.Prediction;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.topic.Topic;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.crm.rules.Rules;
import io.funnelflow.service.streams.RejectingExceptionHandler;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The lead lifecycle topology under TopologyTestDriver, its wall clock driving silence. */
class CrmTopologyTest {

    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    TopologyTestDriver driver;
    TestInputTopic<String, SessionSummary> sessions;
    TestInputTopic<String, Prediction> predictions;
    TestInputTopic<String, LeadCommand> commands;
    TestInputTopic<String, RulesVersion> rules;
    TestInputTopic<String, String> rawSessions;
    TestOutputTopic<String, LeadTransition> transitions;
    TestOutputTopic<String, Lead> leads;
    TestOutputTopic<String, LeadOverride> overrides;
    TestOutputTopic<String, RejectedEvent> rejected;

    @BeforeEach
    void start() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "crm-topology-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RejectingExceptionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RejectingExceptionHandler.class);
        p.put(RejectingExceptionHandler.STAGE_CONFIG, RejectedEvent.STAGE_CRM);
        p.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/crm-topology-test-" + UUID.randomUUID());
        CrmSettings settings = new CrmSettings(Duration.ofMinutes(1), 1000, Duration.ofDays(7), null);
        driver = new TopologyTestDriver(CrmTopology.build(settings), p, T0);
        sessions = input(Topics.SESSIONS);
        predictions = input(Topics.PREDICTIONS);
        commands = input(Topics.CRM_COMMANDS);
        rules = input(Topics.CRM_RULES);
        rawSessions = driver.createInputTopic(Topics.SESSIONS.name(), Serdes.String().serializer(), Serdes.String().serializer());
        transitions = output(Topics.LEAD_TRANSITIONS);
        leads = output(Topics.CRM_LEADS);
        overrides = output(Topics.CRM_OVERRIDES);
        rejected = output(Topics.EVENTS_REJECTED);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    <K, V> TestInputTopic<K, V> input(Topic<K, V> t) {
        return driver.createInputTopic(t.name(), t.keySerde().serializer(), t.valueSerde().serializer());
    }

    <K, V> TestOutputTopic<K, V> output(Topic<K, V> t) {
        return driver.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer());
    }

    /** A session summary as the aggregator publishes it, built from JSON with only the fields the lifecycle reads. */
    static SessionSummary session(String id, String user, Instant start, Instant end, int productViews, int cartAdds,
                                  int checkouts, int purchases, String revenue) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("session_id", id).put("session_key", id).put("visitor_id", user == null ? "anon-" + id : user)
                .put("start", start.toString()).put("end", end.toString()).put("events", 1 + productViews + cartAdds + checkouts + purchases)
                .put("page_views", 1).put("product_views", productViews).put("cart_adds", cartAdds).put("cart_removes", 0)
                .put("checkouts", checkouts).put("purchases", purchases).put("revenue", revenue).put("cart_value", "0")
                .put("furthest_step", 1).put("utm_source", "google").put("closed", false);
        if (user != null) {
            n.put("user_id", user);
            n.putArray("user_ids").add(user);
        }
        try {
            return Json.mapper().treeToValue(n, SessionSummary.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<LeadTransition> of(List<LeadTransition> all, String field) {
        return all.stream().filter(t -> t.field().equals(field)).toList();
    }

    @Test
    void aShopCustomerBecomesALeadWithEveryFieldExplainedAndMovesForward() {
        Instant end = T0.plus(Duration.ofMinutes(12));
        sessions.pipeInput("s1", session("s1", "cust-7", T0, end, 4, 2, 1, 0, "0"), end);

        List<LeadTransition> first = transitions.readValuesToList();
        // score: sessions 1x2 + product_views 4x2 + cart_adds min(24, 2x8) + checkouts 12 = 2 + 8 + 16 + 12 = 38
        assertThat(of(first, Lead.INTENT_SCORE)).singleElement().satisfies(t -> {
            assertThat(t.from()).isNull();
            assertThat(t.to()).isEqualTo("38");
            assertThat(t.source()).isEqualTo(LeadTransition.SOURCE_RULE);
            assertThat(t.at()).isEqualTo(end);
            assertThat(t.ruleId()).isEqualTo("score-behaviour");
            assertThat(t.ruleVersion()).isEqualTo(1);
        });
        assertThat(of(first, Lead.STAGE)).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo("Lead");
            assertThat(t.ruleId()).isEqualTo("lead-known");
        });
        assertThat(of(first, Lead.ENGAGEMENT_HEALTH)).singleElement().extracting(LeadTransition::to).isEqualTo("Active");
        assertThat(of(first, Lead.NURTURE_TRACK)).singleElement().extracting(LeadTransition::to).isEqualTo("Education");
        assertThat(of(first, Lead.OWNER_TEAM)).singleElement().extracting(LeadTransition::to).isEqualTo("Marketing");
        assertThat(first).allSatisfy(t -> assertThat(t.leadId()).isEqualTo("cust-7"));
        Lead lead = leads.readValuesToList().get(0);
        assertThat(lead.topSignals()).extracting(c -> c.signal()).containsExactly("cart_adds", "checkouts", "product_views");

        // more of the same session: 2 more product views and one more checkout -> 2 + 12 + 16 + 24 = 54: MQL
        Instant later = end.plus(Duration.ofMinutes(5));
        sessions.pipeInput("s1", session("s1", "cust-7", T0, later, 6, 2, 2, 0, "0"), later);
        List<LeadTransition> second = transitions.readValuesToList();
        assertThat(of(second, Lead.STAGE)).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo("Lead");
            assertThat(t.to()).isEqualTo("MQL");
            assertThat(t.reason()).isEqualTo("rule mql-interested: intent_score 54 >= 40");
        });
        assertThat(of(second, Lead.OWNER_TEAM)).singleElement().extracting(LeadTransition::to).isEqualTo("Marketing Ops");
        assertThat(of(second, Lead.NURTURE_TRACK)).singleElement().extracting(LeadTransition::to).isEqualTo("Conversion");

        // the same summary again changes nothing: no transition
        sessions.pipeInput("s1", session("s1", "cust-7", T0, later, 6, 2, 2, 0, "0"), later);
        assertThat(transitions.isEmpty()).isTrue();

        // a second session with a purchase: Customer
        Instant t2 = later.plus(Duration.ofHours(3));
        sessions.pipeInput("s2", session("s2", "cust-7", t2.minusSeconds(300), t2, 1, 1, 1, 1, "59.90"), t2);
        assertThat(of(transitions.readValuesToList(), Lead.STAGE)).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo("Customer");
            assertThat(t.reason()).isEqualTo("rule customer-purchased: purchases 1 >= 1");
        });
    }

    @Test
    void silenceMakesALeadStaleThenDormantAtTheMomentItCrossedEachThresholdWithoutAnyEvent() {
        Instant end = T0.minus(Duration.ofHours(1));
        sessions.pipeInput("s1", session("s1", "cust-1", end.minusSeconds(600), end, 1, 0, 0, 0, "0"), end);
        transitions.readValuesToList();

        driver.advanceWallClockTime(Duration.ofDays(13));
        assertThat(transitions.isEmpty()).as("13 days of silence: still Active").isTrue();

        driver.advanceWallClockTime(Duration.ofDays(2));
        List<LeadTransition> stale = transitions.readValuesToList();
        assertThat(of(stale, Lead.ENGAGEMENT_HEALTH)).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo("Active");
            assertThat(t.to()).isEqualTo("Stale");
            assertThat(t.source()).isEqualTo(LeadTransition.SOURCE_DECAY);
            assertThat(t.actor()).isEqualTo("clock");
            assertThat(t.at()).isEqualTo(end.plus(Duration.ofDays(14)));
        });
        assertThat(of(stale, Lead.NURTURE_TRACK)).singleElement().extracting(LeadTransition::to).isEqualTo("Reactivation");

        // far beyond: Dormant, at end + 60 days, however late the clock noticed
        driver.advanceWallClockTime(Duration.ofDays(100));
        assertThat(of(transitions.readValuesToList(), Lead.ENGAGEMENT_HEALTH)).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo("Dormant");
            assertThat(t.at()).isEqualTo(end.plus(Duration.ofDays(60)));
        });

        // an event wakes it up
        Instant back = T0.plus(Duration.ofDays(116));
        sessions.pipeInput("s9", session("s9", "cust-1", back.minusSeconds(60), back, 1, 0, 0, 0, "0"), back);
        assertThat(of(transitions.readValuesToList(), Lead.ENGAGEMENT_HEALTH)).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo("Active");
            assertThat(t.source()).isEqualTo(LeadTransition.SOURCE_RULE);
        });
    }

    static LeadCommand override(String lead, String field, String value, Instant at) {
        return new LeadCommand(UUID.randomUUID().toString(), LeadCommand.OVERRIDE, lead, at, "ana@example.com", "called them",
                null, field, value);
    }

    @Test
    void anOverrideSticksThroughLaterEventsAndRuleChangesUntilLifted() {
        Instant end = T0.minusSeconds(60);
        sessions.pipeInput("s1", session("s1", "cust-2", end.minusSeconds(60), end, 1, 0, 0, 0, "0"), end);
        transitions.readValuesToList();

        commands.pipeInput("cust-2", override("cust-2", Lead.STAGE, "sql", T0), T0);
        List<LeadTransition> set = transitions.readValuesToList();
        assertThat(of(set, Lead.STAGE)).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo("Lead");
            assertThat(t.to()).isEqualTo("SQL");
            assertThat(t.source()).isEqualTo(LeadTransition.SOURCE_OVERRIDE);
            assertThat(t.actor()).isEqualTo("ana@example.com");
            assertThat(t.why()).isEqualTo("called them");
        });
        assertThat(of(set, Lead.OWNER_TEAM)).singleElement().extracting(LeadTransition::to).isEqualTo("SDR/AE");
        assertThat(overrides.readValuesToList()).singleElement().satisfies(o -> {
            assertThat(o.action()).isEqualTo(LeadOverride.SET);
            assertThat(o.previous()).isEqualTo("Lead");
            assertThat(o.value()).isEqualTo("SQL");
        });

        // a purchase would make it Customer: the override holds, the computed value is shown beside it
        Instant t1 = T0.plus(Duration.ofMinutes(30));
        sessions.pipeInput("s2", session("s2", "cust-2", t1.minusSeconds(60), t1, 1, 1, 1, 1, "10"), t1);
        assertThat(of(transitions.readValuesToList(), Lead.STAGE)).isEmpty();
        Lead held = last(leads.readValuesToList());
        assertThat(held.stage().value()).isEqualTo("SQL");
        assertThat(held.stage().computed()).isEqualTo("Customer");
        assertThat(held.stage().ruleId()).isEqualTo("override");

        // new rules: still held
        Instant applied = T0.plus(Duration.ofHours(1));
        rules.pipeInput(RulesVersion.ACTIVE, new RulesVersion(2, applied, "ops@example.com", "looser MQL", Rules.defaultDocument()), applied);
        driver.advanceWallClockTime(Duration.ofMinutes(2));
        Lead swept = last(leads.readValuesToList());
        assertThat(swept.rulesVersion()).isEqualTo(2);
        assertThat(swept.stage().value()).isEqualTo("SQL");
        assertThat(of(transitions.readValuesToList(), Lead.STAGE)).isEmpty();

        // lifted: the computed value takes over, by the override path
        Instant lift = T0.plus(Duration.ofHours(2));
        commands.pipeInput("cust-2", new LeadCommand(UUID.randomUUID().toString(), LeadCommand.LIFT, "cust-2", lift, "ana@example.com",
                "deal closed", null, Lead.STAGE, null), lift);
        assertThat(of(transitions.readValuesToList(), Lead.STAGE)).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo("SQL");
            assertThat(t.to()).isEqualTo("Customer");
            assertThat(t.source()).isEqualTo(LeadTransition.SOURCE_OVERRIDE);
            assertThat(t.at()).isEqualTo(lift);
        });
        assertThat(overrides.readValuesToList()).singleElement().extracting(LeadOverride::action).isEqualTo(LeadOverride.LIFT);
    }

    @Test
    void aPredictionOfALeadsSessionIsOneOfItsSignals() {
        Instant end = T0.minusSeconds(60);
        sessions.pipeInput("s1", session("s1", "cust-3", end.minusSeconds(60), end, 0, 0, 0, 0, "0"), end);
        transitions.readValuesToList();
        // anonymous in the prediction: the session's lead is known from the session
        predictions.pipeInput("s1", new Prediction("s1", null, 0.9, 0.8, 1.0, "quick buyer", "none", "", false, "rf-1", T0), T0);
        // 2 (one session) + 27 (0.9 x 30) = 29
        assertThat(of(transitions.readValuesToList(), Lead.INTENT_SCORE)).singleElement().extracting(LeadTransition::to).isEqualTo("29");
        Lead lead = last(leads.readValuesToList());
        assertThat(lead.topSignals().get(0).signal()).isEqualTo("purchase_probability");
    }

    @Test
    void aPredictionThatComesBeforeItsLeadsFirstSessionMakesNoLeadButCountsWhenTheSessionArrives() {
        Instant end = T0.minusSeconds(60);
        predictions.pipeInput("s7", new Prediction("s7", "cust-7", 0.9, 0.8, 1.0, "quick buyer", "none", "", false, "rf-1", end), end);
        assertThat(transitions.readValuesToList()).isEmpty();
        assertThat(leads.readValuesToList()).isEmpty();
        sessions.pipeInput("s7", session("s7", "cust-7", end.minusSeconds(60), end, 0, 0, 0, 0, "0"), end);
        // 2 (one session) + 27 (0.9 x 30) = 29: the probability that waited is one of the first evaluation's signals
        assertThat(of(transitions.readValuesToList(), Lead.INTENT_SCORE)).singleElement().extracting(LeadTransition::to).isEqualTo("29");
        assertThat(last(leads.readValuesToList()).topSignals().get(0).signal()).isEqualTo("purchase_probability");
    }

    @Test
    void anErasureForgetsTheLeadAndPublishesTombstones() {
        sessions.pipeInput("s1", session("s1", "cust-4", T0, T0, 0, 0, 0, 0, "0"), T0);
        transitions.readValuesToList();
        leads.readValuesToList();
        commands.pipeInput("cust-4", new LeadCommand("erase-1", LeadCommand.ERASE, "cust-4", T0, "dpo", null, null, null, null), T0);
        assertThat(transitions.readRecordsToList()).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("cust-4");
            assertThat(r.value()).isNull();
        });
        assertThat(leads.readRecordsToList()).singleElement().satisfies(r -> assertThat(r.value()).isNull());
    }

    @Test
    void aRecordThatCannotBeReadGoesToTheRejectedTopicWithItsReasonAndTheStreamGoesOn() {
        rawSessions.pipeInput("s1", "{not json", T0);
        assertThat(rejected.readValuesToList()).singleElement().satisfies(r -> {
            assertThat(r.stage()).isEqualTo(RejectedEvent.STAGE_CRM);
            assertThat(r.rawText()).isEqualTo("{not json");
            assertThat(r.reason()).contains("funnelflow.sessions", "SessionSummary");
        });
        sessions.pipeInput("s2", session("s2", "cust-5", T0, T0, 0, 0, 0, 0, "0"), T0);
        assertThat(transitions.readValuesToList()).isNotEmpty();
    }

    static <T> T last(List<T> list) {
        assertThat(list).isNotEmpty();
        return list.get(list.size() - 1);
    }
}
