package io.funnelflow.ingest.track;

import io.funnelflow.contract.event.Violation;

/** A request body that cannot be taken at all: not JSON, not the expected shape, or too large. */
public final class BodyRejectedException extends RuntimeException {

    private final Violation violation;
    private final boolean tooLarge;

    private BodyRejectedException(Violation violation, boolean tooLarge) {
        super(violation.toString(), null, false, false);
        this.violation = violation;
        this.tooLarge = tooLarge;
    }

    public static BodyRejectedException invalid(String field, String reason) {
        return new BodyRejectedException(new Violation(field, reason), false);
    }

    public static BodyRejectedException invalid(Violation violation) {
        return new BodyRejectedException(violation, false);
    }

    public static BodyRejectedException tooLarge(String field, String reason) {
        return new BodyRejectedException(new Violation(field, reason), true);
    }

    public Violation violation() {
        return violation;
    }

    public boolean tooLarge() {
        return tooLarge;
    }
}
