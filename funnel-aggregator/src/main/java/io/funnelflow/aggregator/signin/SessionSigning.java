package io.funnelflow.aggregator.signin;

import io.funnelflow.service.security.Credentials;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.signature.SignatureGeneratorConfiguration;
import io.micronaut.security.token.jwt.signature.secret.SecretSignature;
import io.micronaut.security.token.jwt.signature.secret.SecretSignatureConfiguration;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.Base64;

/**
 * The dashboard session is a signed JWT in an HttpOnly, SameSite=Strict cookie: stateless, so any
 * aggregator instance with the same secret accepts it. It names the API token it was opened with
 * (never the token itself) and that token's roles; each request checks that the token is still valid,
 * so revoking the token ends its sessions within seconds.
 */
@Factory
public class SessionSigning {

    /** HS256 over a key derived from the session secret. */
    @Singleton
    @Named("generator")
    SignatureGeneratorConfiguration signature(SessionSecret secret) {
        SecretSignatureConfiguration config = new SecretSignatureConfiguration("generator");
        config.setSecret(Base64.getEncoder().encodeToString(secret.key("funnelflow dashboard session")));
        config.setBase64(true);
        return new SecretSignature(config);
    }

    /** A session lives only as long as the token it was opened with. */
    @Singleton
    GenericJwtClaimsValidator<HttpRequest<?>> tokenStillValid(Credentials credentials) {
        return (claims, request) -> {
            Object subject = claims.get(Claims.SUBJECT);
            return subject != null && credentials.isActive(subject.toString());
        };
    }
}
