package io.funnelflow.aggregator.query;

/** Something named in the request does not exist. Answered 404. */
public final class NotFoundException extends RuntimeException {

    private final String parameter;

    public NotFoundException(String parameter, String reason) {
        super(reason, null, false, false);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
