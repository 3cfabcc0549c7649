package io.funnelflow.ingest.web;

import io.funnelflow.ingest.track.IntakeResult;

import java.time.Duration;

/** What an ingest request came to, before it is put into HTTP terms. */
sealed interface Outcome {

    record Unauthorized(String reason) implements Outcome {
    }

    /** @param reason which limit: the write key's or the client address's */
    record RateLimited(Duration retryAfter, String reason) implements Outcome {
    }

    record Done(IntakeResult result) implements Outcome {
    }
}
