package io.funnelflow.aggregator.query;

/** A query parameter the caller must fix: named, with the reason. Answered 400. */
public final class BadParameterException extends RuntimeException {

    private final String parameter;

    public BadParameterException(String parameter, String reason) {
        super(reason, null, false, false);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
