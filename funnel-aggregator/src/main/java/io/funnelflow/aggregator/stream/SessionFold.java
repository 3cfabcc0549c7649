package io.funnelflow.aggregator.stream;

import io.funnelflow.aggregator.aggregate.SessionFacts;
import io.funnelflow.aggregator.funnel.FunnelMode;
import io.funnelflow.aggregator.funnel.FunnelProgress;
import io.funnelflow.contract.funnel.SavedFunnel;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.session.SessionTally;

import java.util.ArrayList;
import java.util.List;

/**
 * One session being folded event by event: its tally (the contract's one set of session rules) and its
 * progress in every counted funnel under every mode. Adding an event costs the same whatever the
 * session's length; the figures it contributes ({@link SessionFacts}) and its summary are read off it.
 */
final class SessionFold {

    final String id;
    final SessionTally tally;
    /** One per funnel of {@link #funnels} and mode, funnel-major. */
    final FunnelProgress[] progress;
    final ActiveFunnels funnels;

    SessionFold(String id, ActiveFunnels funnels) {
        this(id, new SessionTally(), newProgress(funnels), funnels);
    }

    SessionFold(String id, SessionTally tally, FunnelProgress[] progress, ActiveFunnels funnels) {
        this.id = id;
        this.tally = tally;
        this.progress = progress;
        this.funnels = funnels;
    }

    private static FunnelProgress[] newProgress(ActiveFunnels funnels) {
        FunnelProgress[] p = new FunnelProgress[funnels.funnels().size() * ActiveFunnels.MODES.length];
        int i = 0;
        for (SavedFunnel f : funnels.funnels()) {
            for (FunnelMode m : ActiveFunnels.MODES) {
                p[i++] = new FunnelProgress(f.steps(), m);
            }
        }
        return p;
    }

    void add(StoredEvent e) {
        tally.add(e);
        for (FunnelProgress p : progress) {
            p.add(e.type(), e.time());
        }
    }

    long start() {
        return tally.first();
    }

    long end() {
        return tally.last();
    }

    int events() {
        return tally.events();
    }

    /** The furthest step of the default funnel reached in order. */
    int furthestStep() {
        for (int i = 0; i < funnels.funnels().size(); i++) {
            if (funnels.funnels().get(i).id() == SavedFunnel.DEFAULT.id()) {
                return progress[i * ActiveFunnels.MODES.length + FunnelMode.ORDERED.ordinal()].depth();
            }
        }
        return 0;
    }

    SessionSummary summary(String sessionKey, boolean truncated, boolean closed) {
        return tally.summary(id, sessionKey, furthestStep(), truncated, closed);
    }

    SessionFacts facts(String sessionKey) {
        List<SessionFacts.FunnelFacts> funnelFacts = new ArrayList<>(progress.length);
        int i = 0;
        for (SavedFunnel f : funnels.funnels()) {
            for (FunnelMode m : ActiveFunnels.MODES) {
                FunnelProgress p = progress[i++];
                funnelFacts.add(new SessionFacts.FunnelFacts(f.id(), m, f.steps().size(), p.depth(), p.stepEvents(),
                        p.stepDurations()));
            }
        }
        String[] dims = {tally.utmSource(), tally.utmMedium(), tally.utmCampaign(), tally.device(), tally.platform()};
        return new SessionFacts(tally.first(), dims, tally.visitorId(sessionKey), tally.purchases(), tally.revenue(),
                tally.durationSeconds(), tally.cartAdds() > 0, tally.pageViews() > 0, funnelFacts);
    }
}
