package io.funnelflow.insights.analyst;

/** The range has too little data for any analyst to say three things; answered as 422. */
public final class NotEnoughDataException extends RuntimeException {

    public NotEnoughDataException(String reason) {
        super(reason);
    }
}
