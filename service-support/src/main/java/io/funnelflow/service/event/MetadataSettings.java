package io.funnelflow.service.event;

import io.funnelflow.contract.event.MetadataLimits;
import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The {@code metadata} limits of one platform, read from {@code funnelflow.metadata.*} (or
 * {@code FUNNELFLOW_METADATA_MAX_BYTES} and the like) by ingest, which refuses an event over them, and by
 * the aggregator, which checks {@code funnelflow.events} again: both must apply the same limits, or an
 * event that ingest accepted would be refused by the stream. Unset, they are {@link MetadataLimits#defaults()}.
 */
@ConfigurationProperties("funnelflow.metadata")
public class MetadataSettings {

    private static final MetadataLimits DEFAULTS = MetadataLimits.defaults();

    private int maxKeys = DEFAULTS.maxKeys();
    private int maxKeyLength = DEFAULTS.maxKeyLength();
    private int maxValueLength = DEFAULTS.maxValueLength();
    private int maxDepth = DEFAULTS.maxDepth();
    private int maxArrayLength = DEFAULTS.maxArrayLength();
    private int maxBytes = DEFAULTS.maxBytes();

    public MetadataLimits limits() {
        return new MetadataLimits(maxKeys, maxKeyLength, maxValueLength, maxDepth, maxArrayLength, maxBytes);
    }

    public int getMaxKeys() {
        return maxKeys;
    }

    public void setMaxKeys(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    public int getMaxKeyLength() {
        return maxKeyLength;
    }

    public void setMaxKeyLength(int maxKeyLength) {
        this.maxKeyLength = maxKeyLength;
    }

    public int getMaxValueLength() {
        return maxValueLength;
    }

    public void setMaxValueLength(int maxValueLength) {
        this.maxValueLength = maxValueLength;
    }

    public int getMaxDepth() {
        return maxDepth;
    }

    public void setMaxDepth(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    public int getMaxArrayLength() {
        return maxArrayLength;
    }

    public void setMaxArrayLength(int maxArrayLength) {
        this.maxArrayLength = maxArrayLength;
    }

    public int getMaxBytes() {
        return maxBytes;
    }

    public void setMaxBytes(int maxBytes) {
        this.maxBytes = maxBytes;
    }
}
