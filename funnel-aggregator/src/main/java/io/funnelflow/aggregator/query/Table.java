package io.funnelflow.aggregator.query;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A report as one flat table: named columns and rows of plain values, which is what a CSV export of the
 * report writes (one header row, then one line per row). Values are kept as their text; a missing one
 * is empty.
 *
 * @param columns the column names, as the JSON answer names the same figures
 * @param rows    every row, each with one value per column
 */
public record Table(List<String> columns, List<List<String>> rows) {

    public Table {
        columns = List.copyOf(columns);
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("a row has " + row.size() + " values for " + columns.size() + " columns");
            }
        }
        rows = List.copyOf(rows);
    }

    public static Builder of(String... columns) {
        return new Builder(Arrays.asList(columns));
    }

    /** The text a value is written as: decimals in plain notation, times as ISO-8601, nothing as empty. */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }

    /** Rows added in order. */
    public static final class Builder {
        private final List<String> columns;
        private final List<List<String>> rows = new ArrayList<>();

        private Builder(List<String> columns) {
            this.columns = columns;
        }

        public Builder row(Object... values) {
            List<String> row = new ArrayList<>(values.length);
            for (Object v : values) {
                row.add(text(v));
            }
            rows.add(row);
            return this;
        }

        public Table build() {
            return new Table(columns, rows);
        }
    }
}
