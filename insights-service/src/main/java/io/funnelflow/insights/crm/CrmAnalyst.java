package io.funnelflow.insights.crm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.funnelflow.contract.credential.Secrets;
import io.funnelflow.contract.json.Json;
import io.funnelflow.insights.analyst.InsightsEngine;
import io.funnelflow.insights.llm.LlmSettings;
import io.funnelflow.insights.llm.Prompts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Guarded GenAI for the CRM, on the insights-service's LLM client: a call-note pain point and a reactivation
 * e-mail. The model's answer is accepted only when its guard finds nothing invented ({@link PainPoints},
 * {@link ReactivationEmails}); a first bad answer is sent back once with the violations named; then, or when
 * no LLM is configured or the call fails, the rule-based extract or the template answers, and says why.
 * The audit log has each answer's id, prompt version, model and the SHA-256 of its input.
 */
public final class CrmAnalyst {

    private static final Logger AUDIT = LoggerFactory.getLogger("io.funnelflow.insights.audit");
    public static final String PAIN_POINT_PROMPT = "pain-point-v1";
    public static final String EMAIL_PROMPT = "reactivation-email-v1";

    static final JsonSchema PAIN_SCHEMA = JsonSchema.builder().name("pain_point").rootElement(JsonObjectSchema.builder()
            .addStringProperty("summary").required("summary").additionalProperties(false).build()).build();
    static final JsonSchema EMAIL_SCHEMA = JsonSchema.builder().name("reactivation_email").rootElement(JsonObjectSchema.builder()
            .addStringProperty("subject").addStringProperty("body").required("subject", "body").additionalProperties(false).build()).build();

    private final Optional<ChatModel> model;
    private final LlmSettings settings;
    private final Prompts painPrompts = new Prompts(PAIN_POINT_PROMPT);
    private final Prompts emailPrompts = new Prompts(EMAIL_PROMPT);

    /** Who answered: the model (and which), or the rules and why. */
    public record Analyst(String kind, String model, String promptVersion, String reason) {
    }

    public record PainPoint(String id, String summary, Analyst analyst, String inputSha256) {
    }

    public record Email(String id, String subject, String body, Analyst analyst, String inputSha256) {
    }

    public CrmAnalyst(Optional<ChatModel> model, LlmSettings settings) {
        this.model = model;
        this.settings = settings;
    }

    public PainPoint painPoint(String notes) {
        String input = notes;
        String hash = Secrets.sha256(input);
        String id = UUID.randomUUID().toString();
        Attempt a = ask(id, painPrompts, PAIN_SCHEMA, Map.of("notes", notes), hash,
                json -> PainPoints.violations(json.path("summary").asText(null), notes));
        if (a.accepted != null) {
            return new PainPoint(id, a.accepted.path("summary").asText().strip(),
                    new Analyst("llm", a.model, PAIN_POINT_PROMPT, null), hash);
        }
        return new PainPoint(id, PainPoints.extract(notes), new Analyst("rules", null, PAIN_POINT_PROMPT,
                "the rule-based extract answers: " + a.failure), hash);
    }

    public Email email(Map<String, String> record) {
        String recordJson = json(record);
        String hash = Secrets.sha256(recordJson);
        String id = UUID.randomUUID().toString();
        Attempt a = ask(id, emailPrompts, EMAIL_SCHEMA, Map.of("record", recordJson), hash,
                json -> ReactivationEmails.violations(json.path("subject").asText(null), json.path("body").asText(null), record));
        if (a.accepted != null) {
            return new Email(id, a.accepted.path("subject").asText().strip(), a.accepted.path("body").asText().strip(),
                    new Analyst("llm", a.model, EMAIL_PROMPT, null), hash);
        }
        Map<String, String> t = ReactivationEmails.template(record);
        return new Email(id, t.get("subject"), t.get("body"), new Analyst("rules", null, EMAIL_PROMPT,
                "the template answers: " + a.failure), hash);
    }

    private record Attempt(JsonNode accepted, String model, String failure) {
    }

    private Attempt ask(String id, Prompts prompts, JsonSchema schema, Map<String, String> values, String inputHash,
                        Function<JsonNode, List<String>> guard) {
        if (model.isEmpty()) {
            AUDIT.info("answer {} prompt {} input {}: no LLM configured, rules answer", id, prompts.version(), inputHash);
            return new Attempt(null, null, InsightsEngine.NO_LLM);
        }
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(prompts.system()));
        messages.add(UserMessage.from(prompts.user(values)));
        List<String> violations = List.of();
        for (int attempt = 1; attempt <= 2; attempt++) {
            AUDIT.info("answer {} prompt {} model {} input {} attempt {}", id, prompts.version(), settings.model(), inputHash, attempt);
            ChatResponse response;
            try {
                ChatRequest.Builder b = ChatRequest.builder().messages(messages);
                if (settings.provider().equals(LlmSettings.OPENAI)) {
                    b.responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema).build());
                }
                response = model.get().chat(b.build());
            } catch (RuntimeException e) {
                String reason = "the LLM call failed: " + e.getClass().getSimpleName();
                AUDIT.info("answer {} attempt {} failed: {}", id, attempt, e.toString());
                return new Attempt(null, null, reason);
            }
            String content = response.aiMessage() == null ? null : response.aiMessage().text();
            String answeredBy = response.modelName() == null ? settings.model() : response.modelName();
            AUDIT.info("answer {} attempt {} response {} from {}:\n{}", id, attempt, response.id(), answeredBy, content);
            JsonNode json = null;
            try {
                json = Json.mapper().readTree(strip(content));
                violations = json == null || !json.isObject() ? List.of("the answer is not a JSON object") : guard.apply(json);
            } catch (java.io.IOException | RuntimeException e) {
                violations = List.of("the answer is not JSON in the required shape");
            }
            if (violations.isEmpty()) {
                AUDIT.info("answer {} accepted from {}", id, answeredBy);
                return new Attempt(json, answeredBy, null);
            }
            AUDIT.info("answer {} attempt {} refused: {}", id, attempt, violations);
            messages.add(AiMessage.from(content == null || content.isEmpty() ? "(empty)" : content));
            messages.add(UserMessage.from(prompts.retry("- " + String.join("\n- ", violations))));
        }
        return new Attempt(null, null, "the LLM's answer was refused twice: " + String.join("; ", violations));
    }

    private static String strip(String content) {
        if (content == null) {
            return "";
        }
        String s = content.strip();
        if (s.startsWith("```")) {
            s = s.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
        }
        return s;
    }

    private static String json(Map<String, String> record) {
        try {
            return Json.mapper().writeValueAsString(new LinkedHashMap<>(record));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
