package io.funnelflow.contract.event;

/**
 * How much free {@code metadata} one event may carry. Every limit is checked before the event is
 * accepted, so that no single event can make a stored row, a session or a query large.
 *
 * @param maxKeys        keys per object (the top level and every nested object)
 * @param maxKeyLength   characters per key
 * @param maxValueLength characters per string value
 * @param maxDepth       levels of nesting: 1 is a flat object of plain values
 * @param maxArrayLength elements per array
 * @param maxBytes       the whole metadata written as JSON, in bytes
 */
public record MetadataLimits(int maxKeys, int maxKeyLength, int maxValueLength, int maxDepth, int maxArrayLength,
                             int maxBytes) {

    public MetadataLimits {
        if (maxKeys < 1 || maxKeyLength < 1 || maxValueLength < 1 || maxDepth < 1 || maxArrayLength < 1 || maxBytes < 2) {
            throw new IllegalArgumentException("metadata limits must be positive: " + this);
        }
    }

    public static MetadataLimits defaults() {
        return new MetadataLimits(100, 100, 2048, 5, 100, 16 * 1024);
    }
}
