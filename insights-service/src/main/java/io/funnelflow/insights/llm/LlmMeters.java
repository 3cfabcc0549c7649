package io.funnelflow.insights.llm;

import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.output.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the LLM costs, at {@code /metrics}: {@code funnelflow_insights_llm_calls_total{provider, model, outcome}}
 * (one per chat call, its retries included; outcome {@code success} or {@code error}) and
 * {@code funnelflow_insights_llm_tokens_total{provider, model, kind}} (the {@code input} and {@code output}
 * tokens the provider reported).
 */
public final class LlmMeters implements ChatModelListener {

    public static final String CALLS = "funnelflow.insights.llm.calls";
    public static final String TOKENS = "funnelflow.insights.llm.tokens";

    private final Counter succeeded;
    private final Counter failed;
    private final Counter inputTokens;
    private final Counter outputTokens;

    public LlmMeters(MeterRegistry registry, LlmSettings settings) {
        String provider = settings.provider();
        String model = settings.model() == null ? "" : settings.model();
        this.succeeded = calls(registry, provider, model, "success");
        this.failed = calls(registry, provider, model, "error");
        this.inputTokens = tokens(registry, provider, model, "input");
        this.outputTokens = tokens(registry, provider, model, "output");
    }

    private static Counter calls(MeterRegistry registry, String provider, String model, String outcome) {
        return Counter.builder(CALLS).description("chat calls to the LLM, their retries included")
                .tags("provider", provider, "model", model, "outcome", outcome).register(registry);
    }

    private static Counter tokens(MeterRegistry registry, String provider, String model, String kind) {
        return Counter.builder(TOKENS).description("tokens the LLM provider reported")
                .tags("provider", provider, "model", model, "kind", kind).register(registry);
    }

    @Override
    public void onResponse(ChatModelResponseContext context) {
        succeeded.increment();
        TokenUsage usage = context.chatResponse() == null ? null : context.chatResponse().tokenUsage();
        if (usage != null) {
            inputTokens.increment(usage.inputTokenCount() == null ? 0 : usage.inputTokenCount());
            outputTokens.increment(usage.outputTokenCount() == null ? 0 : usage.outputTokenCount());
        }
    }

    @Override
    public void onError(ChatModelErrorContext context) {
        failed.increment();
    }
}
