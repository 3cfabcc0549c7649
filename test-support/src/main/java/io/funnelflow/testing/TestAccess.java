package io.funnelflow.testing;

import io.funnelflow.contract.credential.Credential;
import io.funnelflow.contract.credential.Scope;
import io.funnelflow.contract.credential.Secrets;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Tokens for the tests of this JVM, used the way a user would: an admin token given to the services
 * as {@code FUNNELFLOW_API_TOKENS}, a read token stored on {@code funnelflow.credentials} of the shared
 * broker (as {@code ./funnelflow tokens create --scope read} stores one), and requests that carry them.
 */
public final class TestAccess {

    /** The admin token every service under test accepts (given in its configuration). */
    public static final String ADMIN_TOKEN = Secrets.newSecret(Credential.Kind.API_TOKEN);

    private static String readToken;

    private TestAccess() {
    }

    /**
     * What an in-JVM service needs to accept the tests' tokens: the admin token, and the shared broker
     * whose {@code funnelflow.credentials} it follows. Add to the properties of {@code ApplicationContext.run}.
     */
    public static Map<String, Object> properties() {
        return properties(SharedKafka.bootstrapServers());
    }

    /** The same with another broker's {@code funnelflow.credentials}. */
    public static Map<String, Object> properties(String bootstrap) {
        return Map.of("funnelflow.security.api-tokens", ADMIN_TOKEN,
                "funnelflow.security.credentials.bootstrap", bootstrap);
    }

    /** The same for a service started from its jar ({@code ServiceProcess}); it follows {@code FUNNELFLOW_KAFKA_BOOTSTRAP}. */
    public static Map<String, String> environment() {
        return Map.of("FUNNELFLOW_API_TOKENS", ADMIN_TOKEN);
    }

    /** {@code Bearer <token>}. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** A request carrying the admin token. */
    public static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", bearer(ADMIN_TOKEN));
    }

    /** A request carrying the admin token. */
    public static HttpRequest.Builder request(String url) {
        return request(URI.create(url));
    }

    /**
     * A read-scope token stored on the shared broker's {@code funnelflow.credentials} (once per JVM). A
     * service started after this call knows it from its start; one already running within a poll.
     */
    public static synchronized String readToken() {
        if (readToken == null) {
            readToken = store(Scope.READ, "tests: read");
        }
        return readToken;
    }

    /** Stores a new API token of that scope on the shared broker and returns its secret. */
    public static String store(Scope scope, String label) {
        String secret = Secrets.newSecret(Credential.Kind.API_TOKEN);
        Credential credential = Credential.issue(Credential.Kind.API_TOKEN, scope, label, secret, Instant.now());
        publish(credential);
        return secret;
    }

    /** Publishes a credential record (a new one, or one revoked with {@link Credential#revoke}). */
    public static void publish(Credential credential) {
        try (KafkaProducer<String, Credential> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"),
                Topics.CREDENTIALS.keySerde().serializer(), Topics.CREDENTIALS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.CREDENTIALS.name(), credential.id(), credential)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot store a test credential on " + Topics.CREDENTIALS, e);
        }
    }
}
