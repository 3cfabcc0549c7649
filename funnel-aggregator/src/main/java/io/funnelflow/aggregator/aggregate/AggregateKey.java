package io.funnelflow.aggregator.aggregate;

import io.funnelflow.aggregator.funnel.FunnelMode;

import java.util.List;

/**
 * What one record of the aggregates topic is about, as its key: a bucket of figures kept by one stream
 * partition (its share, {@code part}) in one generation of that partition's store entry ({@code gen}),
 * or a note for the sink (a session the stream no longer holds; a partition's progress through a sweep).
 * A bucket's figure is the sum over every partition and generation; each record holds absolute values,
 * so the latest record of a key replaces the earlier ones.
 */
public sealed interface AggregateKey {

    char SEP = '\u001f';

    String encode();

    /** Sessions that started in a bucket, by one dimension's value. */
    record Sessions(Granularity granularity, long bucketStart, Dimension dimension, String value, int part, long gen)
            implements AggregateKey {
        @Override
        public String encode() {
            return join("S", String.valueOf(granularity.code()), Long.toString(bucketStart), Integer.toString(dimension.code()),
                    value, Integer.toString(part), Long.toString(gen));
        }
    }

    /** One funnel version's figures under one mode, for the sessions that started in a bucket, by one dimension's value. */
    record Funnel(int funnelId, FunnelMode mode, Granularity granularity, long bucketStart, Dimension dimension, String value,
                  int part, long gen) implements AggregateKey {
        @Override
        public String encode() {
            return join("F", Integer.toString(funnelId), mode.wireName(), String.valueOf(granularity.code()),
                    Long.toString(bucketStart), Integer.toString(dimension.code()), value, Integer.toString(part), Long.toString(gen));
        }
    }

    /** Events of one type by event time in a bucket. */
    record Events(Granularity granularity, long bucketStart, String eventType, int part, long gen) implements AggregateKey {
        @Override
        public String encode() {
            return join("E", String.valueOf(granularity.code()), Long.toString(bucketStart), eventType,
                    Integer.toString(part), Long.toString(gen));
        }
    }

    /** A session the stream has forgotten (its key was idle too long): its figures are final, computed at {@code generation}. */
    record Final(String sessionId) implements AggregateKey {
        @Override
        public String encode() {
            return join("X", sessionId);
        }
    }

    /** How far one partition has got in counting every session it holds with the funnels of {@code generation}. */
    record Progress(long generation, int part) implements AggregateKey {
        @Override
        public String encode() {
            return join("P", Long.toString(generation), Integer.toString(part));
        }
    }

    static AggregateKey parse(String key) {
        List<String> f = split(key);
        return switch (f.get(0)) {
            case "S" -> new Sessions(Granularity.ofCode(f.get(1).charAt(0)), Long.parseLong(f.get(2)),
                    Dimension.ofCode(Integer.parseInt(f.get(3))), f.get(4), Integer.parseInt(f.get(5)), Long.parseLong(f.get(6)));
            case "F" -> new Funnel(Integer.parseInt(f.get(1)), FunnelMode.parse(f.get(2)), Granularity.ofCode(f.get(3).charAt(0)),
                    Long.parseLong(f.get(4)), Dimension.ofCode(Integer.parseInt(f.get(5))), f.get(6),
                    Integer.parseInt(f.get(7)), Long.parseLong(f.get(8)));
            case "E" -> new Events(Granularity.ofCode(f.get(1).charAt(0)), Long.parseLong(f.get(2)), f.get(3),
                    Integer.parseInt(f.get(4)), Long.parseLong(f.get(5)));
            case "X" -> new Final(f.get(1));
            case "P" -> new Progress(Long.parseLong(f.get(1)), Integer.parseInt(f.get(2)));
            default -> throw new IllegalArgumentException("unknown aggregate key kind in " + key);
        };
    }

    private static String join(String... parts) {
        return String.join(String.valueOf(SEP), parts);
    }

    private static List<String> split(String key) {
        List<String> out = new java.util.ArrayList<>(9);
        int from = 0;
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) == SEP) {
                out.add(key.substring(from, i));
                from = i + 1;
            }
        }
        out.add(key.substring(from));
        return out;
    }
}
