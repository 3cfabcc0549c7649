package io.funnelflow.insights.metrics;

import io.funnelflow.service.security.ServiceToken;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;

/** Calls to the aggregator's query API carry this service's token: the aggregator, like every service, wants one. */
@ClientFilter(serviceId = "aggregator")
public class AggregatorAuthorization {

    private final ServiceToken token;

    public AggregatorAuthorization(ServiceToken token) {
        this.token = token;
    }

    @RequestFilter
    void authorize(MutableHttpRequest<?> request) {
        token.authorization().ifPresent(value -> request.header(HttpHeaders.AUTHORIZATION, value));
    }
}
