package io.funnelflow.simulator.leads;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class LeadFileTest {

    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    static String csv(List<LeadFile.Row> rows) throws Exception {
        StringWriter w = new StringWriter();
        LeadFile.write(rows, w);
        return w.toString();
    }

    @Test
    void theSameSeedGivesTheSameFileInTheSeedsFormatAndItReadsBackAsWritten() throws Exception {
        List<LeadFile.Row> rows = LeadFile.generate(1000, 7, NOW);
        String file = csv(rows);
        assertThat(csv(LeadFile.generate(1000, 7, NOW))).isEqualTo(file);
        assertThat(csv(LeadFile.generate(1000, 8, NOW))).isNotEqualTo(file);
        assertThat(file).startsWith("lead_id,created_at,funnel_stage,intent_score,last_engaged,company_size,source,"
                + "engagement_channel,sales_owner,notes\r\n");

        List<Map<String, String>> read;
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file)) {
            read = it.readAll();
        }
        assertThat(read).hasSize(1000);
        assertThat(read.get(0).get("notes")).isEqualTo(rows.get(0).notes());
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.lastEngaged()).isAfterOrEqualTo(r.createdAt());
            assertThat(r.intentScore()).isBetween(0, 100);
            assertThat(r.notes()).isNotBlank();
        });
        Set<String> stages = rows.stream().map(LeadFile.Row::funnelStage).collect(Collectors.toSet());
        assertThat(stages).containsExactlyInAnyOrder("Lead", "MQL", "SQL", "Customer");
        // some quiet for weeks, some for months: every health the CRM knows occurs
        long stale = rows.stream().filter(r -> r.lastEngaged().isBefore(java.time.LocalDate.of(2026, 11, 6))).count();
        long dormant = rows.stream().filter(r -> r.lastEngaged().isBefore(java.time.LocalDate.of(2026, 9, 21))).count();
        assertThat(stale).isBetween(200L, 500L);
        assertThat(dormant).isBetween(100L, 450L);
    }
}
