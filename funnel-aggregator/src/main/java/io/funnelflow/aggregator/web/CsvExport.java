package io.funnelflow.aggregator.web;

import io.funnelflow.aggregator.query.Tabular;
import io.funnelflow.service.problem.Problems;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.web.router.RouteAttributes;

import java.util.Locale;

/**
 * Exports for every report: a route whose answer is {@link Tabular} (and that produces
 * {@code text/csv} beside JSON) answers CSV when asked with {@code Accept: text/csv} — Micronaut's
 * content negotiation picks {@link CsvBodyWriter} — or with {@code ?format=csv}, which this filter turns
 * into the same answer (a link can ask for it). {@code format} is checked before any work: {@code json}
 * or {@code csv}, and {@code csv} only where the answer is a report (406 elsewhere). A CSV answer is a
 * download named after its route ({@code funnelflow-trends.csv}).
 */
@ServerFilter("/api/**")
public class CsvExport implements Ordered {

    static final String FORMAT = "format";

    @RequestFilter
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        String format = request.getParameters().get(FORMAT);
        if (format == null || format.equalsIgnoreCase("json")) {
            return null;
        }
        if (!format.equalsIgnoreCase("csv")) {
            return Problems.of(HttpStatus.BAD_REQUEST, "invalid parameter").reason("must be csv or json")
                    .with("parameter", FORMAT).response();
        }
        if (!tabular(request)) {
            return Problems.of(HttpStatus.NOT_ACCEPTABLE, "not acceptable")
                    .reason("this route answers JSON only; CSV is given by the report routes")
                    .with("parameter", FORMAT).response();
        }
        return null;
    }

    @ResponseFilter
    void export(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (!(response.body() instanceof Tabular) || !wantsCsv(request)) {
            return;
        }
        response.contentType(CsvBodyWriter.TEXT_CSV_TYPE);
        String path = request.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9_-]", "");
        response.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"funnelflow-" + name + ".csv\"");
    }

    @Override
    public int getOrder() {
        // after the security filter: a request without a valid token is a 401 whatever its format
        return ServerFilterPhase.SECURITY.order() + 200;
    }

    private static boolean wantsCsv(HttpRequest<?> request) {
        String format = request.getParameters().get(FORMAT);
        if (format != null) {
            return format.toLowerCase(Locale.ROOT).equals("csv");
        }
        // Accept: text/csv chose the CSV writer already; say so in the answer's name too
        return request.accept().stream().findFirst().map(t -> t.getName().equals(CsvBodyWriter.TEXT_CSV)).orElse(false);
    }

    private static boolean tabular(HttpRequest<?> request) {
        return RouteAttributes.getRouteInfo(request)
                .map(route -> Tabular.class.isAssignableFrom(route.getResponseBodyType().getType())).orElse(false);
    }
}
