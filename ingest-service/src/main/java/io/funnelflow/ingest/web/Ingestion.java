package io.funnelflow.ingest.web;

import io.funnelflow.ingest.auth.RateLimiter;
import io.funnelflow.ingest.auth.WriteKeys;
import io.funnelflow.ingest.track.Bodies;
import io.funnelflow.ingest.track.BodyFormat;
import io.funnelflow.ingest.track.BodyRejectedException;
import io.funnelflow.ingest.track.BodyScan;
import io.funnelflow.ingest.track.Envelope;
import io.funnelflow.ingest.track.EventIntake;
import io.funnelflow.service.limit.ClientAddress;
import io.funnelflow.service.limit.KeyedRateLimit;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one path every ingest call takes, whatever its format: read the bounded body (gzip undone within
 * the limit), find the write key (the header, or the body's top level by a streaming scan that also
 * counts the events and converts nothing), authenticate, rate-limit (per client address, then per write
 * key), and only then map, judge and publish each event. Nothing is published for a request that fails
 * any step before, and no work is done on the events of a request that is not authenticated. Write keys
 * are public (they sit in web pages), so one address may not spend a site's whole allowance; the machine
 * itself (loopback: the simulator, a local proxy) is counted only per key.
 */
@Singleton
public class Ingestion {

    private final WriteKeys writeKeys;
    private final RateLimiter rateLimiter;
    private final KeyedRateLimit perAddress;
    private final ClientAddress clientAddress;
    private final EventIntake intake;
    private final Clock clock;
    private final int maxBodyBytes;
    private final int maxBatchEvents;

    public Ingestion(WriteKeys writeKeys, RateLimiter rateLimiter, @Named("per-address") KeyedRateLimit perAddress,
                     ClientAddress clientAddress, EventIntake intake,
                     @Value("${funnelflow.ingest.max-body-bytes:1048576}") int maxBodyBytes,
                     @Value("${funnelflow.ingest.max-batch-events:500}") int maxBatchEvents) {
        this.writeKeys = writeKeys;
        this.rateLimiter = rateLimiter;
        this.perAddress = perAddress;
        this.clientAddress = clientAddress;
        this.intake = intake;
        this.clock = Clock.systemUTC();
        this.maxBodyBytes = maxBodyBytes;
        this.maxBatchEvents = maxBatchEvents;
    }

    /**
     * @param authorization the Authorization header, or null
     * @param format        reads the body into its events
     * @throws io.funnelflow.ingest.track.BodyRejectedException when the body cannot be taken at all
     */
    CompletableFuture<Outcome> ingest(HttpRequest<?> request, String authorization, byte[] body, BodyFormat format) {
        Optional<String> headerKey = WriteKeys.fromAuthorization(authorization);
        if (headerKey.isPresent() && !writeKeys.isValid(headerKey.get())) {
            return CompletableFuture.completedFuture(new Outcome.Unauthorized("the write key is not valid"));
        }
        byte[] json = Bodies.inflate(body, maxBodyBytes);
        BodyScan scan = BodyScan.of(json, format.eventsField(), format.writeKeyFields());
        String key = headerKey.orElse(scan.writeKey());
        if (key == null) {
            return CompletableFuture.completedFuture(new Outcome.Unauthorized(
                    "a write key is required: as the HTTP Basic user name (empty password) or as write_key in the body"));
        }
        if (headerKey.isEmpty() && !writeKeys.isValid(key)) {
            return CompletableFuture.completedFuture(new Outcome.Unauthorized("the write key is not valid"));
        }
        if (scan.events() > maxBatchEvents) {
            throw BodyRejectedException.tooLarge(format.eventsField(),
                    "holds " + scan.events() + " events; at most " + maxBatchEvents + " per batch");
        }
        String client = clientAddress.of(request);
        if (!isLoopback(client)) {
            Optional<java.time.Duration> wait = perAddress.tryAcquire(client, scan.events());
            if (wait.isPresent()) {
                return CompletableFuture.completedFuture(new Outcome.RateLimited(wait.get(),
                        "this address sends more events than its limit"));
            }
        }
        Optional<java.time.Duration> wait = rateLimiter.tryAcquire(key, scan.events());
        if (wait.isPresent()) {
            return CompletableFuture.completedFuture(new Outcome.RateLimited(wait.get(),
                    "this write key sends more events than its limit"));
        }
        Envelope envelope = format.read(json, maxBatchEvents);
        return intake.submit(envelope, key, clock.instant()).thenApply(Outcome.Done::new);
    }

    private static boolean isLoopback(String address) {
        if (!address.matches("[0-9.]+") && !address.contains(":")) {
            return false; // not an address literal: never look a name up
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
