package io.funnelflow.insights.llm;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;

/** Builds the LangChain4j chat model for the configured provider. */
public final class ChatModels {

    private ChatModels() {
    }

    public static ChatModel create(LlmSettings s) {
        if (!s.configured()) {
            throw new IllegalStateException("no LLM is configured");
        }
        String key = s.apiKey() == null || s.apiKey().isBlank() ? "none" : s.apiKey();
        if (s.provider().equals(LlmSettings.ANTHROPIC)) {
            AnthropicChatModel.AnthropicChatModelBuilder b = AnthropicChatModel.builder()
                    .apiKey(key).modelName(s.model()).timeout(s.timeout()).maxRetries(s.maxRetries()).maxTokens(2048);
            if (s.baseUrl() != null && !s.baseUrl().isBlank()) {
                b.baseUrl(s.baseUrl());
            }
            return b.build();
        }
        OpenAiChatModel.OpenAiChatModelBuilder b = OpenAiChatModel.builder()
                .apiKey(key).modelName(s.model()).timeout(s.timeout()).maxRetries(s.maxRetries())
                .strictJsonSchema(true);
        if (s.baseUrl() != null && !s.baseUrl().isBlank()) {
            b.baseUrl(s.baseUrl());
        }
        return b.build();
    }
}
