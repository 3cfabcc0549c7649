package io.funnelflow.ingest.browser;

import io.funnelflow.contract.json.Json;
import io.funnelflow.ingest.auth.WriteKeys;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.util.Map;

/**
 * The demo store's dynamic parts; its pages are static resources under {@code /demo/}. The store sends
 * with the first configured write key, so that it works as soon as the service runs. Write keys are
 * not secrets from the browser, but a deployment that does not want the demo turns it off with
 * {@code FUNNELFLOW_DEMO_ENABLED=false}.
 */
@Controller("/demo")
@Requires(property = "funnelflow.demo.enabled", notEquals = "false")
public class DemoController {

    private final String config;

    public DemoController(WriteKeys writeKeys) {
        String json = Json.mapper().valueToTree(Map.of("write_key", writeKeys.first())).toString();
        this.config = "window.FUNNELFLOW_DEMO = " + json + ";\n";
    }

    @Get("/config.js")
    HttpResponse<String> config() {
        return HttpResponse.ok(config)
                .contentType(TrackerScriptController.JAVASCRIPT)
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
