package io.funnelflow.insights.metrics;

/** A request field that cannot be used, with the reason; answered as 400 naming the field. */
public final class BadInputException extends RuntimeException {

    private final String field;

    public BadInputException(String field, String reason) {
        super(reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
