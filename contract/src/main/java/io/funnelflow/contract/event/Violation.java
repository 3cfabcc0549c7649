package io.funnelflow.contract.event;

/** Why an input is refused: the field (snake_case, as sent) and the reason, in words a developer can act on. */
public record Violation(String field, String reason) {

    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
