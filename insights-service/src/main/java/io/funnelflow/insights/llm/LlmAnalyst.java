package io.funnelflow.insights.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.funnelflow.contract.json.Json;
import io.funnelflow.insights.analyst.GroundingCheck;
import io.funnelflow.insights.analyst.Narrative;
import io.funnelflow.insights.facts.Fact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks the model to explain the computed facts and accepts only a grounded answer: JSON in the
 * schema, citing given fact ids, stating only given figures. A first answer that breaks a rule is sent
 * back once with the violations named; a second bad answer, or a call that fails (after the client's
 * own bounded retries with backoff), is a failure with its reason, and the caller answers with rules.
 * So is a call the {@link LlmBudget} does not allow: no request is sent then.
 */
public final class LlmAnalyst {

    /** The audit log: each answer id with its prompt version, exact prompt and the model's reply. */
    private static final Logger AUDIT = LoggerFactory.getLogger("io.funnelflow.insights.audit");

    static final JsonSchema SCHEMA = JsonSchema.builder().name("insights").rootElement(JsonObjectSchema.builder()
            .addProperty("observations", JsonArraySchema.builder().items(JsonObjectSchema.builder()
                    .addStringProperty("id")
                    .addStringProperty("text")
                    .addProperty("fact_ids", JsonArraySchema.builder().items(new JsonStringSchema()).build())
                    .required("id", "text", "fact_ids").additionalProperties(false).build()).build())
            .addProperty("recommendations", JsonArraySchema.builder().items(JsonObjectSchema.builder()
                    .addStringProperty("text")
                    .addStringProperty("observation_id")
                    .addProperty("fact_ids", JsonArraySchema.builder().items(new JsonStringSchema()).build())
                    .required("text", "observation_id", "fact_ids").additionalProperties(false).build()).build())
            .required("observations", "recommendations").additionalProperties(false).build()).build();

    /** What the model made of the facts: a grounded narrative, or why there is none. */
    public record Outcome(Narrative narrative, String model, String failure, int requests) {

        public boolean accepted() {
            return narrative != null;
        }
    }

    private final ChatModel model;
    private final LlmSettings settings;
    private final Prompts prompts;
    private final LlmBudget budget;
    private final GroundingCheck check = new GroundingCheck();

    /** Without limits on calls or tokens. */
    public LlmAnalyst(ChatModel model, LlmSettings settings, Prompts prompts) {
        this(model, settings, prompts, LlmBudget.unlimited());
    }

    public LlmAnalyst(ChatModel model, LlmSettings settings, Prompts prompts, LlmBudget budget) {
        this.model = model;
        this.settings = settings;
        this.prompts = prompts;
        this.budget = budget;
    }

    public String promptVersion() {
        return prompts.version();
    }

    public String modelName() {
        return settings.model();
    }

    public Outcome explain(String answerId, List<Fact> facts, String range, String breakdown) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(prompts.system()));
        messages.add(UserMessage.from(prompts.user(Map.of("range", range, "breakdown", breakdown, "facts", factsJson(facts)))));
        List<String> violations = List.of();
        for (int attempt = 1; attempt <= 2; attempt++) {
            var refused = budget.tryCall();
            if (refused.isPresent()) {
                AUDIT.info("answer {} attempt {} not sent: {}", answerId, attempt, refused.get());
                return new Outcome(null, settings.model(), refused.get(), attempt - 1);
            }
            AUDIT.info("answer {} prompt {} attempt {} request to {} ({}):\n{}", answerId, prompts.version(), attempt,
                    settings.model(), settings.provider(), render(messages));
            ChatResponse response;
            try {
                response = model.chat(request(messages));
                budget.spent(response.tokenUsage() == null ? null : response.tokenUsage().totalTokenCount());
            } catch (RuntimeException e) {
                String reason = "the LLM call failed: " + describe(e);
                AUDIT.info("answer {} attempt {} failed: {}", answerId, attempt, reason);
                return new Outcome(null, settings.model(), reason, attempt);
            }
            String content = response.aiMessage() == null ? null : response.aiMessage().text();
            String answeredBy = response.modelName() == null ? settings.model() : response.modelName();
            AUDIT.info("answer {} attempt {} response {} from {}:\n{}", answerId, attempt, response.id(), answeredBy, content);
            Narrative narrative = null;
            try {
                narrative = parse(content);
                violations = check.violations(narrative, facts);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                violations = List.of("the answer is not JSON in the required shape: " + firstLine(e.getMessage()));
            }
            if (violations.isEmpty()) {
                return new Outcome(narrative, answeredBy, null, attempt);
            }
            AUDIT.info("answer {} attempt {} rejected: {}", answerId, attempt, violations);
            messages.add(AiMessage.from(content == null || content.isEmpty() ? "(empty)" : content));
            messages.add(UserMessage.from(prompts.retry("- " + String.join("\n- ", violations))));
        }
        return new Outcome(null, settings.model(), "the LLM's answer was rejected twice: " + String.join("; ", violations), 2);
    }

    private ChatRequest request(List<ChatMessage> messages) {
        ChatRequest.Builder b = ChatRequest.builder().messages(messages);
        if (settings.provider().equals(LlmSettings.OPENAI)) {
            b.responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(SCHEMA).build());
        }
        return b.build();
    }

    static Narrative parse(String content) throws JsonProcessingException {
        if (content == null || content.isBlank()) {
            throw new IllegalArgumentException("the answer is empty");
        }
        String json = content.strip();
        if (json.startsWith("```")) {
            json = json.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
        }
        Narrative n = Json.mapper().readValue(json, Narrative.class);
        if (n.observations().isEmpty() && n.recommendations().isEmpty()) {
            throw new IllegalArgumentException("it has neither observations nor recommendations");
        }
        return n;
    }

    static String factsJson(List<Fact> facts) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Fact f : facts) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", f.id());
            item.put("label", f.label());
            Map<String, String> figures = new LinkedHashMap<>();
            f.figures().forEach((name, figure) -> figures.put(name, figure.text()));
            item.put("figures", figures);
            out.add(item);
        }
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("facts cannot be written as JSON", e);
        }
    }

    private static String render(List<ChatMessage> messages) {
        StringBuilder b = new StringBuilder();
        for (ChatMessage m : messages) {
            b.append('[').append(m.type()).append("] ");
            if (m instanceof SystemMessage s) {
                b.append(s.text());
            } else if (m instanceof UserMessage u) {
                b.append(u.singleText());
            } else if (m instanceof AiMessage a) {
                b.append(a.text());
            } else {
                b.append(m);
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? "" : ": " + firstLine(t.getMessage());
        return t.getClass().getSimpleName() + message;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
