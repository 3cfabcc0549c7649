package io.funnelflow.crm;

import io.micronaut.runtime.Micronaut;

/** The CRM service: every lead's lifecycle from the stream, its queries, rules, overrides and guarded GenAI. */
public final class CrmApplication {

    private CrmApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(CrmApplication.class, args);
    }
}
