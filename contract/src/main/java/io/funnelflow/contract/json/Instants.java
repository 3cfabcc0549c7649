package io.funnelflow.contract.json;

import com.ethlo.time.ITU;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * Times as the platform reads and writes them: RFC 3339 / ISO-8601 with an offset (written in UTC with
 * as many fraction digits as needed, like {@link Instant#toString()}), or epoch milliseconds as a number.
 * A date-time without an offset ({@code 2026-11-22T10:15:30.123456}, what Python's
 * {@code datetime.utcnow().isoformat()} writes) is read as UTC.
 */
public final class Instants {

    private static final Pattern WITHOUT_OFFSET = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?");

    private Instants() {
    }

    /** @throws DateTimeException when the text is not a date-time (with an offset, or in UTC without one) */
    public static Instant parse(String text) {
        String t = text.trim();
        try {
            return ITU.parseDateTime(t).toInstant();
        } catch (DateTimeException e) {
            if (t.length() <= 29 && WITHOUT_OFFSET.matcher(t).matches()) {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            }
            if (t.length() <= 40 && (t.startsWith("+") || t.startsWith("-"))) {
                // a year beyond four digits, as format() writes one
                return Instant.parse(t);
            }
            throw e;
        }
    }

    private static final Instant FIRST_FOUR_DIGIT_YEAR = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LAST_FOUR_DIGIT_YEAR = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /**
     * RFC 3339 in UTC; a time outside years 0 to 9999 (which RFC 3339 cannot write, and which a hostile
     * client can send as epoch milliseconds) as ISO-8601 with a signed year, like {@link Instant#toString()}.
     */
    public static String format(Instant instant) {
        if (instant.isBefore(FIRST_FOUR_DIGIT_YEAR) || instant.isAfter(LAST_FOUR_DIGIT_YEAR)) {
            return instant.toString();
        }
        int nanos = instant.getNano();
        int digits = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
        return ITU.formatUtc(instant.atOffset(ZoneOffset.UTC), digits);
    }

    static SimpleModule module() {
        return new SimpleModule("funnelflow-instants")
                .addSerializer(Instant.class, new Serializer())
                .addDeserializer(Instant.class, new Deserializer());
    }

    static final class Serializer extends StdScalarSerializer<Instant> {
        Serializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(format(value));
        }
    }

    static final class Deserializer extends StdScalarDeserializer<Instant> {
        Deserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return Instant.ofEpochMilli(p.getLongValue());
            }
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                String text = p.getText();
                try {
                    return parse(text);
                } catch (DateTimeException | IllegalArgumentException | IndexOutOfBoundsException e) {
                    return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 date-time with offset");
                }
            }
            return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
        }
    }
}
