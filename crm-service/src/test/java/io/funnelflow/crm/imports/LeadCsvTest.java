package io.funnelflow.crm.imports;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LeadCsvTest {

    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    static LeadCsv.Parsed parse(String csv) {
        return LeadCsv.parse(csv.getBytes(StandardCharsets.UTF_8), 100, NOW);
    }

    @Test
    void goodRowsAreKeptAndEachBadOneIsAnsweredWithItsLineFieldAndReason() {
        LeadCsv.Parsed p = parse("""
                lead_id,created_at,funnel_stage,intent_score,last_engaged,company_size,source,engagement_channel,sales_owner,notes,simulated_stage
                L1,2026-01-02,mql,55,2026-11-01,S: 1-10,LinkedIn,Email,Priya Shah,"Too complex, they say.
                Call back in May.",SQL
                L2,2026-01-02,Prospect,55,2026-11-01,,,,,,
                L3,2026-01-02,Lead,101,2026-11-01,,,,,,
                ,2026-01-02,Lead,1,2026-11-01,,,,,,
                L4,2027-01-02,Lead,1,2026-11-01,,,,,,
                L1,2026-01-02,Lead,1,2026-11-01,,,,,,
                """);
        assertThat(p.rows()).singleElement().satisfies(r -> {
            assertThat(r.line()).isEqualTo(2);
            assertThat(r.lead().funnelStage()).isEqualTo("MQL");
            assertThat(r.lead().intentScore()).isEqualTo(55);
            assertThat(r.lead().notes()).isEqualTo("Too complex, they say.\nCall back in May.");
            assertThat(r.lead().lastEngaged()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        });
        assertThat(p.refused()).extracting(r -> r.line() + " " + r.field())
                .containsExactly("4 funnel_stage", "5 intent_score", "6 lead_id", "7 created_at", "8 lead_id");
        assertThat(p.refused().get(4).reason()).isEqualTo("appears already on line 2 of this file");
        assertThat(p.refused().get(3).reason()).isEqualTo("is in the future");
        assertThat(p.ignoredColumns()).containsExactly("simulated_stage");
    }

    @Test
    void aFileWithoutLeadIdsOrOverTheRowCapIsRefusedAsAWhole() {
        assertThatThrownBy(() -> parse("name,created_at\nx,2026-01-01\n")).isInstanceOf(LeadCsv.BadFileException.class)
                .hasMessageContaining("no lead_id column");
        StringBuilder big = new StringBuilder("lead_id\n");
        for (int i = 0; i < 101; i++) {
            big.append("L").append(i).append('\n');
        }
        assertThatThrownBy(() -> parse(big.toString())).isInstanceOf(LeadCsv.BadFileException.class)
                .matches(e -> ((LeadCsv.BadFileException) e).tooLarge()).hasMessageContaining("more than 100 rows");
        assertThatThrownBy(() -> LeadCsv.parse(new byte[]{'l', (byte) 0xC3, '\n'}, 10, NOW))
                .hasMessageContaining("not UTF-8");
    }
}
