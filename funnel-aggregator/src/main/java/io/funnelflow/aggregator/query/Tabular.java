package io.funnelflow.aggregator.query;

/**
 * A report answer that can also be given as a table: every report route answers it as JSON, or as
 * {@code text/csv} when asked ({@code ?format=csv} or {@code Accept: text/csv}); the export itself is one
 * mechanism for all of them ({@code web.CsvExport}, {@code web.CsvBodyWriter}).
 */
public interface Tabular {

    /** The answer's figures as one table: the same names and numbers as the JSON answer. */
    Table table();
}
