package io.funnelflow.crm.rules;

/** A rules document that cannot be used, with the JSON path of the offending part and why. */
public final class RulesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public RulesException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return getMessage().substring(field.length() + 2);
    }
}
