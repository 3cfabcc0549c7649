package io.funnelflow.aggregator.web;

import io.funnelflow.aggregator.query.Table;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvBodyWriterTest {

    @Test
    void writesAHeaderRowAndQuotesAsRfc4180Says() throws Exception {
        Table table = Table.of("segment", "count", "revenue", "at")
                .row("google", 3, new BigDecimal("1E+2"), Instant.parse("2026-11-22T10:00:00Z"))
                .row("spring, \"sale\"", 0, null, null)
                .row("two\nlines", -1, new BigDecimal("12.50"), null)
                .build();
        StringWriter out = new StringWriter();
        CsvBodyWriter.write(table, out);
        assertThat(out.toString()).isEqualTo("segment,count,revenue,at\r\n"
                + "google,3,100,2026-11-22T10:00:00Z\r\n"
                + "\"spring, \"\"sale\"\"\",0,,\r\n"
                + "\"two\nlines\",-1,12.50,\r\n");
    }

    @Test
    void anEmptyReportIsItsHeaderRow() throws Exception {
        StringWriter out = new StringWriter();
        CsvBodyWriter.write(Table.of("bucket", "events").build(), out);
        assertThat(out.toString()).isEqualTo("bucket,events\r\n");
    }

    @Test
    void aRowMustHaveAValueForEachColumn() {
        assertThatThrownBy(() -> Table.of("a", "b").row("only one").build()).isInstanceOf(IllegalArgumentException.class);
    }
}
