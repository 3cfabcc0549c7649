package io.funnelflow.prediction.features;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every visitor's sessions by end time, for training: the history of a visit is the visitor's sessions
 * that had ended before it started, the same definition the service's live lookup uses in SQL.
 */
public final class HistoryIndex implements HistoryLookup {

    private final Map<String, long[]> ends = new HashMap<>();
    private final Map<String, int[]> purchasesBefore = new HashMap<>();

    /** One past session: its visitor, when it ended, whether it purchased. */
    public record Past(String visitorId, Instant end, boolean purchased) {
    }

    public HistoryIndex(List<Past> sessions) {
        Map<String, List<Past>> byVisitor = new HashMap<>();
        for (Past p : sessions) {
            if (p.visitorId() != null) {
                byVisitor.computeIfAbsent(p.visitorId(), k -> new ArrayList<>()).add(p);
            }
        }
        byVisitor.forEach((visitor, list) -> {
            list.sort((a, b) -> a.end().compareTo(b.end()));
            long[] end = new long[list.size()];
            int[] bought = new int[list.size() + 1];
            for (int i = 0; i < end.length; i++) {
                end[i] = list.get(i).end().toEpochMilli();
                bought[i + 1] = bought[i] + (list.get(i).purchased() ? 1 : 0);
            }
            ends.put(visitor, end);
            purchasesBefore.put(visitor, bought);
        });
    }

    @Override
    public History of(String visitorId, Instant sessionStart) {
        long[] end = visitorId == null ? null : ends.get(visitorId);
        if (end == null) {
            return History.NONE;
        }
        // how many sessions ended strictly before the start
        int i = Arrays.binarySearch(end, sessionStart.toEpochMilli());
        int before;
        if (i < 0) {
            before = -i - 1;
        } else {
            while (i > 0 && end[i - 1] == end[i]) {
                i--;
            }
            before = i;
        }
        return new History(before, purchasesBefore.get(visitorId)[before]);
    }
}
