package io.funnelflow.crm.imports;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.funnelflow.contract.lead.ImportedLead;
import io.funnelflow.crm.rules.Stage;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a lead file in the seed's format (RFC 4180 CSV with a header: lead_id, created_at, funnel_stage,
 * intent_score, last_engaged, company_size, source, engagement_channel, sales_owner, notes). Each row is
 * judged on its own: a good row becomes an {@link ImportedLead}, a bad one is answered with its line, the
 * field and the reason. Columns of the seed's derived files (simulated_stage, …) are ignored and named.
 */
public final class LeadCsv {

    public static final List<String> COLUMNS = List.of("lead_id", "created_at", "funnel_stage", "intent_score", "last_engaged",
            "company_size", "source", "engagement_channel", "sales_owner", "notes");
    static final Pattern LEAD_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,63}");
    static final int MAX_NOTES = 4000;
    static final int MAX_TEXT = 64;

    /** A refused row: its line in the file (the header is line 1), the field and why. */
    public record Refusal(long line, String leadId, String field, String reason) {
    }

    /** What the file held. */
    public record Parsed(List<Row> rows, List<Refusal> refused, List<String> ignoredColumns) {
    }

    /** A good row and the line it began on. */
    public record Row(long line, ImportedLead lead) {
    }

    /** The file as a whole cannot be read (not UTF-8, no header, too many rows): a 400 or 413 for the request. */
    public static final class BadFileException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean tooLarge;

        BadFileException(String reason, boolean tooLarge) {
            super(reason);
            this.tooLarge = tooLarge;
        }

        public boolean tooLarge() {
            return tooLarge;
        }
    }

    private static final CsvMapper MAPPER = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.TRIM_SPACES).build();

    private LeadCsv() {
    }

    public static Parsed parse(byte[] body, int maxRows, Instant now) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new BadFileException("the file is not UTF-8 text", false);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Row> rows = new ArrayList<>();
        List<Refusal> refused = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        try (JsonParser p = MAPPER.createParser(text)) {
            // the file is one array (WRAP_AS_ARRAY) of rows, each an array of strings
            if (p.nextToken() != JsonToken.START_ARRAY || p.nextToken() != JsonToken.START_ARRAY) {
                throw new BadFileException("the file is empty: a header line with lead_id, created_at, … comes first", false);
            }
            long[] at = new long[1];
            List<String> header = readRow(p, at);
            if (header == null) {
                throw new BadFileException("the file is empty: a header line with lead_id, created_at, … comes first", false);
            }
            Map<String, Integer> index = new HashMap<>();
            Set<String> ignored = new LinkedHashSet<>();
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i).trim().toLowerCase(Locale.ROOT);
                if (COLUMNS.contains(name)) {
                    if (index.putIfAbsent(name, i) != null) {
                        throw new BadFileException("the header names " + name + " twice", false);
                    }
                } else if (!name.isEmpty()) {
                    ignored.add(header.get(i).trim());
                }
            }
            if (!index.containsKey("lead_id")) {
                throw new BadFileException("the header has no lead_id column; the columns are " + String.join(", ", COLUMNS), false);
            }
            int count = 0;
            while (true) {
                JsonToken t = p.nextToken();
                if (t == null || t == JsonToken.END_ARRAY) {
                    break;
                }
                List<String> cells = readRow(p, at);
                long line = at[0];
                if (cells == null || cells.stream().allMatch(String::isBlank)) {
                    continue;
                }
                if (++count > maxRows) {
                    throw new BadFileException("the file has more than " + maxRows + " rows: import it in parts", true);
                }
                Map<String, String> row = new HashMap<>();
                index.forEach((name, i) -> row.put(name, i < cells.size() ? cells.get(i) : ""));
                try {
                    ImportedLead lead = row(row, now);
                    Long earlier = seen.putIfAbsent(lead.leadId(), line);
                    if (earlier != null) {
                        refused.add(new Refusal(line, lead.leadId(), "lead_id", "appears already on line " + earlier + " of this file"));
                        continue;
                    }
                    rows.add(new Row(line, lead));
                } catch (FieldException e) {
                    refused.add(new Refusal(line, blankToNull(row.get("lead_id")), e.field, e.getMessage()));
                }
            }
            return new Parsed(List.copyOf(rows), List.copyOf(refused), List.copyOf(ignored));
        } catch (IOException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new BadFileException("the file is not valid CSV: " + message, false);
        }
    }

    /** Reads one row; {@code line[0]} gets the line it began on: where its first cell starts (a quoted cell may span lines). */
    private static List<String> readRow(JsonParser p, long[] line) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            return null;
        }
        List<String> cells = new ArrayList<>();
        line[0] = -1;
        while (p.nextToken() == JsonToken.VALUE_STRING) {
            if (line[0] < 0) {
                line[0] = p.currentTokenLocation().getLineNr();
            }
            cells.add(p.getText());
        }
        return cells;
    }

    private static final class FieldException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String field;

        FieldException(String field, String reason) {
            super(reason, null, false, false);
            this.field = field;
        }
    }

    static ImportedLead row(Map<String, String> row, Instant now) {
        String id = row.getOrDefault("lead_id", "").trim();
        if (id.isEmpty()) {
            throw new FieldException("lead_id", "is required");
        }
        if (!LEAD_ID.matcher(id).matches()) {
            throw new FieldException("lead_id", "must be 1-64 letters, digits or _ . : @ + - (starting with a letter or digit)");
        }
        Instant created = time(row, "created_at", now);
        String stage = blankToNull(row.get("funnel_stage"));
        if (stage != null) {
            stage = Stage.of(stage).map(Stage::label).orElseThrow(() ->
                    new FieldException("funnel_stage", "must be one of " + String.join(", ", Stage.NAMES)));
        }
        Integer score = null;
        String scoreText = blankToNull(row.get("intent_score"));
        if (scoreText != null) {
            try {
                double d = Double.parseDouble(scoreText);
                if (d != Math.rint(d) || d < 0 || d > 100) {
                    throw new NumberFormatException();
                }
                score = (int) d;
            } catch (NumberFormatException e) {
                throw new FieldException("intent_score", "must be a whole number from 0 to 100, not '" + clip(scoreText) + "'");
            }
        }
        Instant engaged = time(row, "last_engaged", now);
        if (engaged != null && created != null && engaged.isBefore(created.minus(java.time.Duration.ofDays(1)))) {
            throw new FieldException("last_engaged", "is before created_at");
        }
        return new ImportedLead(id, created, stage, score, engaged, text(row, "company_size", MAX_TEXT), text(row, "source", MAX_TEXT),
                text(row, "engagement_channel", MAX_TEXT), text(row, "sales_owner", MAX_TEXT), text(row, "notes", MAX_NOTES));
    }

    private static Instant time(Map<String, String> row, String field, Instant now) {
        String v = blankToNull(row.get(field));
        if (v == null) {
            return null;
        }
        Instant t;
        try {
            t = v.length() <= 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : io.funnelflow.contract.json.Instants.parse(v);
        } catch (DateTimeException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new FieldException(field, "must be a date (2026-11-22) or a date-time with offset (2026-11-22T10:15:30Z), not '" + clip(v) + "'");
        }
        if (t.isAfter(now.plus(java.time.Duration.ofDays(1)))) {
            throw new FieldException(field, "is in the future");
        }
        if (t.isBefore(Instant.parse("1990-01-01T00:00:00Z"))) {
            throw new FieldException(field, "is before 1990");
        }
        return t;
    }

    private static String text(Map<String, String> row, String field, int max) {
        String v = blankToNull(row.get(field));
        if (v != null && v.length() > max) {
            throw new FieldException(field, "is " + v.length() + " characters long; at most " + max);
        }
        if (v != null && v.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
            throw new FieldException(field, "holds control characters");
        }
        return v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
