package io.funnelflow.service.security;

import io.funnelflow.contract.credential.Credential;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * Accepts an opaque API token ({@code Authorization: Bearer ff_at_…}): the authentication is named by
 * the token's id and holds the roles of its scope ({@code read}, or {@code read} and {@code admin}).
 * An in-memory lookup by hash, so it never blocks the event loop.
 */
@Singleton
public class ApiTokenValidator implements TokenValidator<HttpRequest<?>> {

    /** Authentication attribute: the token's scope. */
    public static final String SCOPE = "scope";
    /** Authentication attribute: the token's label. */
    public static final String LABEL = "label";

    private final Credentials credentials;

    public ApiTokenValidator(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
        return Mono.justOrEmpty(credentials.apiToken(token).map(ApiTokenValidator::authentication));
    }

    /** The authentication a valid token stands for. */
    public static Authentication authentication(Credential token) {
        return Authentication.build(token.id(), token.scope().roles(),
                Map.of(SCOPE, token.scope().role(), LABEL, token.label() == null ? "" : token.label()));
    }
}
