package io.funnelflow.insights.llm;

import io.funnelflow.insights.crm.CrmAnalyst;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRM's guarded GenAI against a local server speaking OpenAI's chat-completions protocol: a faithful
 * answer is the LLM's; a summary with an invented phrase and an e-mail with an invented fact are refused
 * (sent back once, then the rules answer) with the reason.
 */
class CrmAnalystTest {

    static final String MODEL = "gpt-test-mini";
    static final String NOTES = "Spoke with the ops lead. They find the product too complex for a small team, and worried about "
            + "the integration with their existing CRM. Wants a trial, budget is tight.";

    OpenAiWireServer server;
    CrmAnalyst analyst;

    @BeforeEach
    void start() throws Exception {
        server = new OpenAiWireServer(MODEL);
        LlmSettings settings = new LlmSettings("openai", server.baseUrl(), MODEL, "sk-test", Duration.ofSeconds(20), 0);
        analyst = new CrmAnalyst(Optional.of(ChatModels.create(settings)), settings);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Map<String, String> record() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("lead_id", "L00042");
        r.put("company_size", "M: 11-50");
        r.put("engagement_channel", "Email");
        r.put("last_engaged", "2026-09-14");
        r.put("sales_owner", "Priya Shah");
        r.put("pain_point", "Product too complex for a small team");
        r.put("product", "FunnelFlow");
        return r;
    }

    @Test
    void aSummaryWhosePhrasesAreAllInTheNotesIsTheLlms() {
        server.reply(new OpenAiWireServer.Content("{\"summary\": \"Product too complex for a small team; worried about CRM integration\"}"));
        CrmAnalyst.PainPoint p = analyst.painPoint(NOTES);
        assertThat(p.analyst().kind()).isEqualTo("llm");
        assertThat(p.analyst().model()).isEqualTo(MODEL);
        assertThat(p.analyst().promptVersion()).isEqualTo("pain-point-v1");
        assertThat(p.summary()).isEqualTo("Product too complex for a small team; worried about CRM integration");
        assertThat(p.inputSha256()).hasSize(64);
        assertThat(server.requests()).hasSize(1);
        assertThat(server.requests().get(0).lastUserContent()).contains(NOTES);
        assertThat(server.requests().get(0).body().path("response_format").path("type").asText()).isEqualTo("json_schema");
    }

    @Test
    void aSummaryWithAnInventedPhraseIsRefusedAndTheRuleBasedExtractAnswersSayingWhy() {
        String invented = "{\"summary\": \"Product too complex for a small team, and a hiring freeze until spring\"}";
        server.reply(new OpenAiWireServer.Content(invented), new OpenAiWireServer.Content(invented));
        CrmAnalyst.PainPoint p = analyst.painPoint(NOTES);
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(1).lastUserContent()).contains("the phrase 'a hiring freeze until spring' is not in the notes");
        assertThat(p.analyst().kind()).isEqualTo("rules");
        assertThat(p.analyst().reason()).contains("refused twice", "hiring freeze");
        assertThat(p.summary()).isEqualTo("They find the product too complex for a small team, and worried about the integration with their existing CRM.");
    }

    @Test
    void anEmailStatingOnlyTheRecordsFactsIsTheLlms() {
        server.reply(new OpenAiWireServer.Content("{\"subject\": \"Still thinking about FunnelFlow?\", \"body\": "
                + "\"Hi,\\n\\nWe last spoke by Email on 2026-09-14. You said the product felt too complex for a small team. "
                + "Happy to walk you through a simpler setup.\\n\\nPriya Shah\"}"));
        CrmAnalyst.Email e = analyst.email(record());
        assertThat(e.analyst().kind()).as(e.analyst().reason()).isEqualTo("llm");
        assertThat(e.body()).contains("2026-09-14", "Priya Shah").doesNotContainIgnoringCase("unsubscribe");
    }

    @Test
    void anEmailWithAnInventedFactIsRefusedAndTheTemplateAnswersSayingWhy() {
        String invented = "{\"subject\": \"A 20% discount for you\", \"body\": \"Hi,\\n\\nSince your call with Tom on 2026-09-14, "
                + "we saved you a 20% discount.\\n\\nPriya Shah\"}";
        server.reply(new OpenAiWireServer.Content(invented), new OpenAiWireServer.Content(invented));
        CrmAnalyst.Email e = analyst.email(record());
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(1).lastUserContent()).contains("it states 20", "it names 'Tom'");
        assertThat(e.analyst().kind()).isEqualTo("rules");
        assertThat(e.analyst().reason()).contains("the template answers", "refused twice", "20", "Tom");
        assertThat(e.subject()).isEqualTo("Still interested in FunnelFlow?");
        assertThat(e.body()).contains("We last heard from you on 2026-09-14 by Email.", "Product too complex for a small team", "Priya Shah")
                .doesNotContain("20%", "Tom");
    }

    @Test
    void anEmailWritingItsOwnUnsubscribeLineIsRefused() {
        String own = "{\"subject\": \"Still thinking about FunnelFlow?\", \"body\": \"Hi,\\n\\nPriya Shah\\n\\nUnsubscribe here.\"}";
        server.reply(new OpenAiWireServer.Content(own), new OpenAiWireServer.Content(own));
        CrmAnalyst.Email e = analyst.email(record());
        assertThat(e.analyst().kind()).isEqualTo("rules");
        assertThat(e.analyst().reason()).contains("unsubscribe line");
    }

    @Test
    void withoutAModelTheRulesAnswerAndSaySo() {
        LlmSettings none = LlmSettings.none();
        CrmAnalyst rules = new CrmAnalyst(Optional.empty(), none);
        CrmAnalyst.PainPoint p = rules.painPoint(NOTES);
        assertThat(p.analyst().kind()).isEqualTo("rules");
        assertThat(p.analyst().reason()).contains("no LLM is configured");
        assertThat(server.requests()).isEmpty();
    }
}
