package io.funnelflow.ingest.track;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.funnelflow.contract.json.Json;

import java.io.IOException;
import java.util.List;

/**
 * What a body says of itself before any of it is mapped: the write key at its top level and how many
 * events it holds. One streaming pass over the bytes that builds no tree and converts no number (a
 * number is only tokenised, within the parser's length limit), so that a request can be authenticated
 * and rate-limited before any work is done on its events: a wrong key with a hostile body costs
 * microseconds per kilobyte.
 *
 * @param writeKey the first non-blank string among the write-key fields, or null
 * @param events   the elements of the events array (1 for a single-event body, 0 when the array is missing)
 */
public record BodyScan(String writeKey, int events) {

    /**
     * @param json        the inflated body
     * @param eventsField the top-level array of events, or null when the body is one event
     * @param keyFields   the top-level fields that may hold the write key, by preference
     * @throws BodyRejectedException when the bytes are not a JSON object
     */
    public static BodyScan of(byte[] json, String eventsField, List<String> keyFields) {
        String[] keys = new String[keyFields.size()];
        int events = eventsField == null ? 1 : 0;
        try (JsonParser p = Json.mapper().getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw BodyRejectedException.invalid("body", "must be a JSON object");
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                int keyIndex = keyFields.indexOf(name);
                if (keyIndex >= 0 && value == JsonToken.VALUE_STRING && keys[keyIndex] == null) {
                    String text = p.getText();
                    keys[keyIndex] = text.isBlank() ? null : text;
                } else if (name.equals(eventsField) && value == JsonToken.START_ARRAY) {
                    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                        if (e == null) {
                            throw BodyRejectedException.invalid("body", "is not valid JSON: it ends inside " + eventsField);
                        }
                        p.skipChildren();
                        events++;
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw BodyRejectedException.invalid("body", "is not valid JSON: it ends before its closing brace");
            }
            if (p.nextToken() != null) {
                throw BodyRejectedException.invalid("body", "is not valid JSON: something follows the object");
            }
        } catch (JsonProcessingException e) {
            throw BodyRejectedException.invalid("body", Bodies.notJson(e));
        } catch (IOException e) {
            throw BodyRejectedException.invalid("body", "cannot be read: " + e.getMessage());
        }
        for (String k : keys) {
            if (k != null) {
                return new BodyScan(k, events);
            }
        }
        return new BodyScan(null, events);
    }
}
