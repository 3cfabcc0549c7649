package io.funnelflow.service.health;

import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Whether a consumer keeps up, judged from the outside like a lag monitor does (Burrow's rules, in
 * short): from successive observations of its committed offsets and of the ends of its input. A partition
 * is <em>stalled</em> when input is waiting in it (its committed offset is behind the end) and its
 * committed offset has not moved for {@code stallAfter}: the consumer is stuck on a record, dead, or
 * failing every write. A consumer that is behind but moving is not stalled; one that is caught up never is.
 *
 * <p>One record waiting counts: the consumers watched commit their position when idle, past the
 * transaction markers that follow the last records they handled (Kafka Streams does so by itself).
 */
public final class Progress {

    /**
     * @param lag          records between the committed offsets and the ends, in all
     * @param stalled      partitions with input waiting whose committed offset has not moved for {@code stallAfter}
     * @param waitingSince the earliest moment since which a partition has had input waiting without moving (null when none)
     * @param observedAt   when the offsets were read (null before the first observation)
     * @param error        why the last observation failed, if it did
     */
    public record Status(long lag, int stalled, Instant waitingSince, Instant observedAt, String error) {

        public static final Status UNKNOWN = new Status(0, 0, null, null, null);

        public boolean isStalled() {
            return stalled > 0;
        }
    }

    private final Duration stallAfter;
    private final Map<TopicPartition, Long> lastCommitted = new HashMap<>();
    private final Map<TopicPartition, Instant> waitingSince = new HashMap<>();

    public Progress(Duration stallAfter) {
        this.stallAfter = stallAfter;
    }

    public Duration stallAfter() {
        return stallAfter;
    }

    /**
     * One observation.
     *
     * @param committed each watched partition's committed offset (its first offset when nothing is committed yet)
     * @param end       each watched partition's end (the last stable offset)
     */
    public synchronized Status observe(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> end, Instant now) {
        long lag = 0;
        int stalled = 0;
        Instant earliest = null;
        lastCommitted.keySet().retainAll(end.keySet());
        waitingSince.keySet().retainAll(end.keySet());
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            TopicPartition tp = e.getKey();
            long at = committed.getOrDefault(tp, 0L);
            long behind = Math.max(0, e.getValue() - at);
            lag += behind;
            Long before = lastCommitted.put(tp, at);
            if (behind == 0) {
                waitingSince.remove(tp);
                continue;
            }
            if (before == null || before != at) {
                waitingSince.put(tp, now);
            } else {
                waitingSince.putIfAbsent(tp, now);
            }
            Instant since = waitingSince.get(tp);
            if (!since.plus(stallAfter).isAfter(now)) {
                stalled++;
            }
            if (earliest == null || since.isBefore(earliest)) {
                earliest = since;
            }
        }
        return new Status(lag, stalled, earliest, now, null);
    }
}
