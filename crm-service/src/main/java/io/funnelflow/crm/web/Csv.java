package io.funnelflow.crm.web;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** RFC 4180 CSV answers (CRLF line ends, quotes where needed), asked for by {@code ?format=csv} or {@code Accept: text/csv}. */
final class Csv {

    static final MediaType TEXT_CSV = new MediaType("text/csv", java.util.Map.of("charset", "utf-8"));
    private static final CsvMapper MAPPER = new CsvMapper();

    private Csv() {
    }

    /** Whether the request asks for CSV; any format but json and csv is refused. */
    static boolean wanted(String format, HttpRequest<?> request) {
        if (format != null) {
            return switch (format) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw BadInput.parameter("format", "must be json or csv, not '" + format + "'");
            };
        }
        return request.getHeaders().accept().stream().anyMatch(m -> m.getName().equals("text/csv"));
    }

    static String write(List<String> columns, List<String[]> rows) {
        CsvSchema.Builder b = CsvSchema.builder();
        columns.forEach(b::addColumn);
        CsvSchema schema = b.build().withHeader().withLineSeparator("\r\n");
        StringWriter out = new StringWriter();
        try (SequenceWriter w = MAPPER.writer(schema).writeValues(out)) {
            for (String[] row : rows) {
                w.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static HttpResponse<String> response(String filename, List<String> columns, List<String[]> rows, String next) {
        var response = HttpResponse.ok(write(columns, rows)).contentType(TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
        if (next != null) {
            response.header("X-Next-After", next);
        }
        return response;
    }
}
