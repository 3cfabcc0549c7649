package io.funnelflow.service.security;

import io.funnelflow.contract.credential.Scope;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.http.HttpRequest;
import io.micronaut.inject.ExecutableMethod;
import io.micronaut.management.endpoint.EndpointSensitivityProcessor;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.rules.SensitiveEndpointRule;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Management endpoints other than {@code /health} are off; one that is turned on and is sensitive
 * (environment, loggers, refresh…) needs {@code admin}, like every change.
 */
@Singleton
@Replaces(SensitiveEndpointRule.class)
public class ManagementEndpointRule extends SensitiveEndpointRule {

    public ManagementEndpointRule(EndpointSensitivityProcessor endpointSensitivityProcessor) {
        super(endpointSensitivityProcessor);
    }

    @Override
    @NonNull
    protected Publisher<SecurityRuleResult> checkSensitiveAuthenticated(@NonNull HttpRequest<?> request,
                                                                         @NonNull Authentication authentication,
                                                                         @NonNull ExecutableMethod<?, ?> method) {
        return Mono.just(authentication.getRoles().contains(Scope.ADMIN.role()) ? SecurityRuleResult.ALLOWED : SecurityRuleResult.REJECTED);
    }
}
