package io.funnelflow.insights.llm;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.openai.OpenAiChatModel;

import java.util.List;

/** Builds the LangChain4j chat model for the configured provider. */
public final class ChatModels {

    private ChatModels() {
    }

    public static ChatModel create(LlmSettings s) {
        return create(s, List.of());
    }

    /** @param listeners told of every call and its answer or failure (metrics) */
    public static ChatModel create(LlmSettings s, List<ChatModelListener> listeners) {
        if (!s.configured()) {
            throw new IllegalStateException("no LLM is configured");
        }
        String key = s.apiKey() == null || s.apiKey().isBlank() ? "none" : s.apiKey();
        if (s.provider().equals(LlmSettings.ANTHROPIC)) {
            AnthropicChatModel.AnthropicChatModelBuilder b = AnthropicChatModel.builder()
                    .apiKey(key).modelName(s.model()).timeout(s.timeout()).maxRetries(s.maxRetries()).maxTokens(2048)
                    .listeners(listeners);
            if (s.baseUrl() != null && !s.baseUrl().isBlank()) {
                b.baseUrl(s.baseUrl());
            }
            return b.build();
        }
        OpenAiChatModel.OpenAiChatModelBuilder b = OpenAiChatModel.builder()
                .apiKey(key).modelName(s.model()).timeout(s.timeout()).maxRetries(s.maxRetries())
                .strictJsonSchema(true).listeners(listeners);
        if (s.baseUrl() != null && !s.baseUrl().isBlank()) {
            b.baseUrl(s.baseUrl());
        }
        return b.build();
    }
}
