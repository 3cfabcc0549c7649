package io.funnelflow.crm;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The CRM service: every lead's lifecycle from the stream, its queries, rules, overrides and guarded GenAI. */
@OpenAPIDefinition(info = @Info(title = "FunnelFlow crm-service", version = "1",
        description = "Every lead's lifecycle from the stream: imports, queries and CSV, overrides, rules with preview, notes and drafts."))
public final class CrmApplication {

    private CrmApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(CrmApplication.class, args);
    }
}
