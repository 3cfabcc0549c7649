package io.funnelflow.crm.web;

/** A parameter or field of a request that cannot be used: named, with the reason; a 400. */
public final class BadInput extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String kind;
    private final String name;

    private BadInput(String kind, String name, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
        this.name = name;
    }

    public static BadInput parameter(String name, String reason) {
        return new BadInput("parameter", name, reason);
    }

    public static BadInput field(String name, String reason) {
        return new BadInput("field", name, reason);
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }
}
