package io.funnelflow.aggregator.stream;

import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.session.LateEvent;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.session.SessionTimeline;

/** What the sessionizer publishes, each to its own topic. */
sealed interface Out {

    /** A session's summary, or its tombstone (null) when it ceased to exist. */
    record Summary(SessionSummary summary) implements Out {
    }

    /** A record of the aggregates topic. */
    record Aggregate(byte[] value) implements Out {
    }

    /** A quiet session's ordered events, or a tombstone (null). */
    record Timeline(SessionTimeline timeline) implements Out {
    }

    record Late(LateEvent late) implements Out {
    }

    /** Something the sessionizer could not do, with the reason, for {@code funnelflow.events.rejected}. */
    record Rejected(RejectedEvent rejected) implements Out {
    }
}
