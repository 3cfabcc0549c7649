package io.funnelflow.service.security;

import io.funnelflow.contract.credential.Credential;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.service.TopicFollower;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/** Wires the credentials every service checks requests against. */
@Factory
public class SecurityBeans {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityBeans.class);

    @Singleton
    Credentials credentials(@Value("${funnelflow.security.api-tokens:}") String adminTokens) {
        return new Credentials(adminTokens);
    }

    /**
     * Follows {@code funnelflow.credentials} when a Kafka bootstrap is known (without one, only the tokens
     * of {@code FUNNELFLOW_API_TOKENS} are valid). The service starts once the
     * existing credentials are read, or after {@code load-timeout} without them (Kafka away): the
     * environment's tokens work then, and the rest arrive when Kafka does.
     */
    @Context
    @Bean(preDestroy = "close")
    @Requires(property = "funnelflow.security.credentials.bootstrap", pattern = ".+")
    TopicFollower<Credential> follower(Credentials credentials,
                                       @Value("${funnelflow.security.credentials.bootstrap:}") String bootstrap,
                                       @Value("${funnelflow.security.credentials.load-timeout:15s}") Duration timeout)
            throws InterruptedException {
        TopicFollower<Credential> follower = new TopicFollower<>(Topics.CREDENTIALS, credentials::apply, bootstrap, "credentials-follower");
        follower.start();
        if (!follower.awaitLoaded(timeout)) {
            LOG.warn("The stored credentials could not be read from {} within {} s; going on with those of the environment",
                    bootstrap, timeout.toSeconds());
        }
        return follower;
    }
}
