package io.funnelflow.service.limit;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The address a request came from, for limits per client. By default the peer of the connection: a client
 * cannot choose it. Behind reverse proxies, {@code FUNNELFLOW_TRUSTED_PROXIES} names their addresses: when
 * the peer is one of them, the client is the right-most address of {@code X-Forwarded-For} that is not a
 * trusted proxy (what the nearest proxy saw; entries further left are whatever the client wrote).
 */
@Singleton
public class ClientAddress {

    private final Set<String> trustedProxies;

    public ClientAddress(@Value("${funnelflow.security.trusted-proxies:}") String trustedProxies) {
        this.trustedProxies = Arrays.stream(trustedProxies.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    public String of(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        String peer = remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        return resolve(peer, request.getHeaders().getAll("X-Forwarded-For"));
    }

    /** The client of a connection from {@code peer} that carried these {@code X-Forwarded-For} headers. */
    String resolve(String peer, List<String> forwardedFor) {
        if (!trustedProxies.contains(peer) || forwardedFor.isEmpty()) {
            return peer;
        }
        List<String> hops = forwardedFor.stream().flatMap(h -> Arrays.stream(h.split(","))).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (!trustedProxies.contains(hops.get(i))) {
                return hops.get(i);
            }
        }
        return peer;
    }
}
