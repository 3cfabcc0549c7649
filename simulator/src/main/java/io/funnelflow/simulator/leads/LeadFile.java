package io.funnelflow.simulator.leads;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic leads in the seed's format (lead_id, created_at, funnel_stage, intent_score, last_engaged,
 * company_size, source, engagement_channel, sales_owner, notes), made from a seed: the same seed and
 * moment give the same file. Stages, scores and silence are spread as a B2B pipeline has them; call
 * notes name the prospect's pain points in a few sentences.
 */
public final class LeadFile {

    public static final List<String> COLUMNS = List.of("lead_id", "created_at", "funnel_stage", "intent_score", "last_engaged",
            "company_size", "source", "engagement_channel", "sales_owner", "notes");

    static final String[] STAGES = {"Lead", "MQL", "SQL", "Customer"};
    static final double[] STAGE_SHARES = {0.5, 0.25, 0.15, 0.10};
    static final String[] SIZES = {"S: 1-10", "M: 11-50", "L: 51-200", "XL: 201+"};
    static final String[] SOURCES = {"Facebook", "LinkedIn", "Google Ads", "Referral", "Webinar", "Organic"};
    static final String[] CHANNELS = {"Email", "WhatsApp", "Phone", "LinkedIn DM", "Webinar"};
    static final String[] OWNERS = {"Priya Shah", "Marco Rossi", "Lena Vogel", "Sam Okafor", "Aiko Tanaka"};
    static final String[] OPENERS = {"Spoke with the ops lead.", "Intro call with the founder.", "Follow-up with their marketing manager.",
            "Demo for the sales team."};
    static final String[] PAINS = {
            "They find the product too complex for a small team",
            "Pricing seems high compared to their current spreadsheet",
            "Worried about the integration with their existing CRM",
            "Onboarding takes too long for their seasonal staff",
            "Reporting is missing the weekly export their CFO needs",
            "They are not sure it fits their team size",
            "Data migration from the old tool is a concern",
            "Their reps complain about manual data entry"};
    static final String[] CLOSERS = {"Asked for a case study.", "Will talk to the CFO, \"maybe next quarter\".",
            "Wants a trial, budget is tight.", "No decision yet; call again in two weeks."};

    /** One lead of the file. */
    public record Row(String leadId, LocalDate createdAt, String funnelStage, int intentScore, LocalDate lastEngaged,
                      String companySize, String source, String engagementChannel, String salesOwner, String notes) {

        String[] cells() {
            return new String[]{leadId, createdAt.toString(), funnelStage, String.valueOf(intentScore), lastEngaged.toString(),
                    companySize, source, engagementChannel, salesOwner, notes};
        }
    }

    private LeadFile() {
    }

    /** {@code count} leads, created within the year before {@code now}. */
    public static List<Row> generate(int count, long seed, Instant now) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x1ead_f11eL);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int stage = pick(random, STAGE_SHARES);
            int base = new int[]{10, 35, 60, 75}[stage];
            int score = Math.min(100, base + random.nextInt(30));
            LocalDate created = today.minusDays(1 + random.nextInt(365));
            long span = Math.max(0, Duration.between(created.atStartOfDay(), today.atStartOfDay()).toDays());
            // about half were in touch in the last two weeks; the rest fell silent at some point since they came
            long silent = random.nextDouble() < 0.5 ? random.nextInt(14) : random.nextLong(span + 1);
            LocalDate engaged = today.minusDays(Math.min(span, silent));
            String notes = OPENERS[random.nextInt(OPENERS.length)] + " " + PAINS[random.nextInt(PAINS.length)] + ", and "
                    + lower(PAINS[random.nextInt(PAINS.length)]) + ". " + CLOSERS[random.nextInt(CLOSERS.length)];
            rows.add(new Row(String.format("L%05d", i + 1), created, STAGES[stage], score, engaged, SIZES[random.nextInt(SIZES.length)],
                    SOURCES[random.nextInt(SOURCES.length)], CHANNELS[random.nextInt(CHANNELS.length)],
                    OWNERS[random.nextInt(OWNERS.length)], notes));
        }
        return List.copyOf(rows);
    }

    /** Writes the rows as RFC 4180 CSV with a header (CRLF line ends; quoted where needed). */
    public static void write(List<Row> rows, Writer out) throws IOException {
        CsvSchema.Builder b = CsvSchema.builder();
        COLUMNS.forEach(b::addColumn);
        try (SequenceWriter w = new CsvMapper().writer(b.build().withHeader().withLineSeparator("\r\n")).writeValues(out)) {
            for (Row r : rows) {
                w.write(r.cells());
            }
        }
    }

    private static String lower(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static int pick(SplittableRandom random, double[] shares) {
        double x = random.nextDouble();
        for (int i = 0; i < shares.length; i++) {
            x -= shares[i];
            if (x < 0) {
                return i;
            }
        }
        return shares.length - 1;
    }
}
