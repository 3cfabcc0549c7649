package io.funnelflow.contract.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON serde of every topic value. A record that cannot be read fails with a
 * {@link SerializationException} that names the topic, the type and the reason, and quotes the start
 * of the bytes — never a silent null.
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Class<T> type;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    private JsonSerde(Class<T> type) {
        this.type = type;
        this.reader = Json.mapper().readerFor(type);
        this.writer = Json.mapper().writerFor(type);
    }

    public static <T> JsonSerde<T> of(Class<T> type) {
        return new JsonSerde<>(type);
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            return writer.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new SerializationException("Cannot write " + type.getSimpleName() + " to " + topic + ": " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return reader.readValue(data);
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException j ? Json.violationOf(j).toString() : e.getMessage();
            throw new SerializationException("Cannot read " + type.getSimpleName() + " from " + topic + ": " + reason
                    + "; bytes begin with: " + preview(data), e);
        }
    }

    static String preview(byte[] data) {
        String s = new String(data, 0, Math.min(data.length, 120), StandardCharsets.UTF_8);
        return s.replaceAll("\\p{Cntrl}", "?") + (data.length > 120 ? "…" : "");
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // nothing to configure: the type and the mapper are fixed
    }

    @Override
    public void close() {
        // holds no resources
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }
}
