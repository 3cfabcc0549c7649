package io.funnelflow.aggregator.stream;

import io.funnelflow.aggregator.funnel.FunnelMode;
import io.funnelflow.contract.funnel.SavedFunnel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The funnel versions the stream counts at one registry generation: the built-in default funnel and
 * every saved one, by id. Every session is counted in each of them under each mode.
 */
record ActiveFunnels(long generation, List<SavedFunnel> funnels) {

    static final FunnelMode[] MODES = FunnelMode.values();

    ActiveFunnels {
        List<SavedFunnel> sorted = new ArrayList<>(funnels);
        sorted.sort(Comparator.comparingInt(SavedFunnel::id));
        funnels = List.copyOf(sorted);
    }

    static ActiveFunnels onlyDefault() {
        return new ActiveFunnels(0, List.of(SavedFunnel.DEFAULT));
    }

    static ActiveFunnels of(List<SavedFunnel> saved) {
        List<SavedFunnel> all = new ArrayList<>();
        all.add(SavedFunnel.DEFAULT);
        long generation = 0;
        for (SavedFunnel f : saved) {
            if (f.id() != SavedFunnel.DEFAULT.id()) {
                all.add(f);
            }
            generation = Math.max(generation, f.generation());
        }
        return new ActiveFunnels(generation, all);
    }

    SavedFunnel byId(int id) {
        for (SavedFunnel f : funnels) {
            if (f.id() == id) {
                return f;
            }
        }
        return null;
    }

    int[] ids() {
        return funnels.stream().mapToInt(SavedFunnel::id).toArray();
    }

    /** These funnels restricted to the ids given (the ones a session's figures were computed with). */
    ActiveFunnels only(int[] ids) {
        List<SavedFunnel> kept = new ArrayList<>();
        for (int id : ids) {
            SavedFunnel f = byId(id);
            if (f != null) {
                kept.add(f);
            }
        }
        return new ActiveFunnels(generation, kept);
    }
}
