package io.funnelflow.insights.llm;

import java.time.Duration;
import java.util.Locale;

/**
 * How to reach the model. No model name means no LLM: the rule-based analyst answers.
 *
 * @param provider   {@code openai} (any OpenAI-compatible chat-completions endpoint) or {@code anthropic}
 * @param baseUrl    the endpoint's base URL, e.g. {@code http://127.0.0.1:11434/v1}; blank for the provider's own
 * @param model      the model name; blank when no LLM is configured
 * @param apiKey     sent as the provider expects ({@code Authorization: Bearer} for OpenAI); may be blank
 * @param timeout    for one call
 * @param maxRetries retries of a failed call (connection errors, timeouts, 5xx), with exponential backoff
 */
public record LlmSettings(String provider, String baseUrl, String model, String apiKey, Duration timeout, int maxRetries) {

    public static final String OPENAI = "openai";
    public static final String ANTHROPIC = "anthropic";

    public LlmSettings {
        provider = provider == null || provider.isBlank() ? OPENAI : provider.trim().toLowerCase(Locale.ROOT);
        if (!provider.equals(OPENAI) && !provider.equals(ANTHROPIC)) {
            throw new IllegalArgumentException("FUNNELFLOW_LLM_PROVIDER must be openai or anthropic, not '" + provider + "'");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("FUNNELFLOW_LLM_MAX_RETRIES must not be negative");
        }
        timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
    }

    public boolean configured() {
        return model != null && !model.isBlank();
    }

    public static LlmSettings none() {
        return new LlmSettings(OPENAI, null, null, null, null, 0);
    }
}
