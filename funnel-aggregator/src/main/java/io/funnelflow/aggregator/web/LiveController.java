package io.funnelflow.aggregator.web;

import io.funnelflow.aggregator.live.LiveFeed;
import io.funnelflow.aggregator.live.LiveSession;
import io.funnelflow.aggregator.live.LiveStream;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.sse.Event;
import org.reactivestreams.Publisher;

import java.util.List;

/** The dashboard's live side: a Server-Sent Events stream of the live feed and of data changes. */
@Controller("/api/live")
public class LiveController {

    private final LiveStream stream;
    private final LiveFeed feed;

    public LiveController(LiveStream stream, LiveFeed feed) {
        this.stream = stream;
        this.feed = feed;
    }

    /** {@code snapshot}, then {@code session}, {@code session_removed}, {@code refresh} and {@code ping} events; see {@link LiveStream}. */
    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    Publisher<Event<Object>> events() {
        return stream.connect();
    }

    /** The live feed now, most recently active session first. */
    @Get("/sessions")
    List<LiveSession> sessions() {
        return feed.snapshot();
    }
}
