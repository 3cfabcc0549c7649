package io.funnelflow.crm.web;

/** No such lead (or draft): a 404 naming it. */
public final class NotFound extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NotFound(String reason) {
        super(reason, null, false, false);
    }
}
