package io.funnelflow.prediction.web;

/** A request field that is missing or wrong, with the reason. */
public final class BadFieldException extends RuntimeException {

    private final String field;

    public BadFieldException(String field, String reason) {
        super(reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
