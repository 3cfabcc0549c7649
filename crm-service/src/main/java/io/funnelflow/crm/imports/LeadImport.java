package io.funnelflow.crm.imports;

import io.funnelflow.contract.lead.LeadCommand;
import io.funnelflow.crm.store.CommandPublisher;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An import: the file is checked row by row ({@link LeadCsv}) and every good row goes to the lifecycle as
 * an {@code import} command, all of them acknowledged by Kafka before the answer. Bounded: at most
 * {@code maxBytes} and {@code maxRows}.
 */
public final class LeadImport {

    private final CommandPublisher commands;
    private final Clock clock;
    private final int maxBytes;
    private final int maxRows;

    /** The answer: how many rows were kept, and each refused one with its line, field and reason. */
    public record Outcome(String importId, int accepted, List<LeadCsv.Refusal> rejected, List<String> ignoredColumns, Instant at) {
    }

    public LeadImport(CommandPublisher commands, Clock clock, int maxBytes, int maxRows) {
        this.commands = commands;
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.maxRows = maxRows;
    }

    public Outcome run(byte[] body, String actor) {
        if (body == null || body.length == 0) {
            throw new LeadCsv.BadFileException("the body is empty: send the CSV file (Content-Type: text/csv)", false);
        }
        if (body.length > maxBytes) {
            throw new LeadCsv.BadFileException("the file is " + body.length + " bytes; at most " + maxBytes + ": import it in parts", true);
        }
        Instant now = clock.instant();
        LeadCsv.Parsed parsed = LeadCsv.parse(body, maxRows, now);
        String importId = "imp-" + UUID.randomUUID();
        List<LeadCommand> out = new ArrayList<>(parsed.rows().size());
        for (LeadCsv.Row row : parsed.rows()) {
            out.add(new LeadCommand(importId + ":" + row.line(), LeadCommand.IMPORT, row.lead().leadId(), now, actor,
                    "import " + importId + ", line " + row.line(), row.lead(), null, null));
        }
        if (!out.isEmpty()) {
            commands.send(out);
        }
        return new Outcome(importId, out.size(), parsed.refused(), parsed.ignoredColumns(), now);
    }
}
