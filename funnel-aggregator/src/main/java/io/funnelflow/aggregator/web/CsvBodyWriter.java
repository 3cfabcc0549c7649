package io.funnelflow.aggregator.web;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.funnelflow.aggregator.query.Table;
import io.funnelflow.aggregator.query.Tabular;
import io.micronaut.core.type.Argument;
import io.micronaut.core.type.MutableHeaders;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.body.MessageBodyWriter;
import io.micronaut.http.codec.CodecException;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a report ({@link Tabular}) as {@code text/csv}: RFC 4180 — a header row, CRLF line ends, a value
 * quoted when it holds a comma, a quote or a line break, with its quotes doubled — by Jackson's CSV
 * dataformat, in UTF-8.
 */
@Singleton
@Produces(CsvBodyWriter.TEXT_CSV)
public class CsvBodyWriter implements MessageBodyWriter<Tabular> {

    public static final String TEXT_CSV = "text/csv";
    public static final MediaType TEXT_CSV_TYPE = MediaType.of(TEXT_CSV);

    private static final CsvMapper MAPPER = new CsvMapper();

    @Override
    public boolean isWriteable(Argument<Tabular> type, MediaType mediaType) {
        return mediaType != null && TEXT_CSV.equals(mediaType.getName());
    }

    @Override
    public void writeTo(Argument<Tabular> type, MediaType mediaType, Tabular report, MutableHeaders headers, OutputStream out)
            throws CodecException {
        headers.set(HttpHeaders.CONTENT_TYPE, TEXT_CSV + "; charset=utf-8");
        try {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            write(report.table(), writer);
            writer.flush();
        } catch (IOException e) {
            throw new CodecException("the CSV could not be written: " + e.getMessage(), e);
        }
    }

    /** The table as RFC 4180 CSV, header first. */
    public static void write(Table table, Writer out) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder();
        table.columns().forEach(schema::addColumn);
        try (SequenceWriter rows = MAPPER.writerFor(String[].class)
                .with(schema.build().withHeader().withLineSeparator("\r\n"))
                .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .writeValues(out)) {
            for (List<String> row : table.rows()) {
                rows.write(row.toArray(String[]::new));
            }
        }
    }
}
