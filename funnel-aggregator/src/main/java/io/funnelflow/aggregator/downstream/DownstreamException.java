package io.funnelflow.aggregator.downstream;

import java.net.URI;

/** A service the aggregator passes requests to did not give a usable answer. */
public final class DownstreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String service;
    private final String url;

    /**
     * @param status our answer's status: 503 when the service is away or too slow, 502 when it failed
     */
    public DownstreamException(int status, String service, URI url, String reason) {
        super(service + " at " + url + " " + reason);
        this.status = status;
        this.service = service;
        this.url = url.toString();
    }

    public int status() {
        return status;
    }

    public String service() {
        return service;
    }

    public String url() {
        return url;
    }
}
