package io.funnelflow.aggregator.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.funnelflow.aggregator.live.LiveConnections;
import io.funnelflow.aggregator.live.LiveFeed;
import io.funnelflow.aggregator.live.LiveSession;
import io.funnelflow.aggregator.live.LiveStream;
import io.funnelflow.service.privacy.PersonalFields;
import io.funnelflow.service.problem.Problems;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.sse.Event;
import io.micronaut.security.authentication.Authentication;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import java.util.List;

/** The dashboard's live side: a Server-Sent Events stream of the live feed and of data changes. */
@Controller("/api/live")
public class LiveController {

    static final int RETRY_AFTER_SECONDS = 10;

    private final LiveStream stream;
    private final LiveFeed feed;
    private final ObjectMapper mapper;
    private final LiveConnections connections;

    public LiveController(LiveStream stream, LiveFeed feed, ObjectMapper mapper,
                          @Value("${funnelflow.live.max-connections-per-token:5}") int perToken,
                          @Value("${funnelflow.live.max-connections:200}") int total) {
        this.stream = stream;
        this.feed = feed;
        this.mapper = mapper;
        this.connections = new LiveConnections(perToken, total);
    }

    /**
     * {@code snapshot}, then {@code session}, {@code session_removed}, {@code refresh} and {@code ping} events; see
     * {@link LiveStream}. Without admin, each event's personal fields (the visitor, the user) are left out and named
     * in its {@code withheld} member. A token holds at most {@code max-connections-per-token} streams open, everyone
     * together {@code max-connections}: beyond, 429 with Retry-After.
     */
    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    Publisher<Event<Object>> events(HttpRequest<?> request, @Nullable Authentication caller) {
        LiveConnections.Attempt attempt = connections.open(caller == null ? "" : caller.getName());
        if (!attempt.granted()) {
            throw Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too many streams").retryAfter(RETRY_AFTER_SECONDS)
                    .reason(attempt.refusal()).exception();
        }
        Flux<Event<Object>> events = stream.connect().doFinally(signal -> attempt.lease().close());
        return PersonalFields.mayRead(request) ? events : events.map(this::withhold);
    }

    /** The open streams, per token and in all. */
    LiveConnections connections() {
        return connections;
    }

    private Event<Object> withhold(Event<Object> event) {
        PersonalFields.Withheld withheld = PersonalFields.withhold(mapper, event.getData());
        if (withheld.names().isEmpty()) {
            return event;
        }
        return Event.of(event, withheld.answer());
    }

    /** The live feed now, most recently active session first. */
    @Get("/sessions")
    List<LiveSession> sessions() {
        return feed.snapshot();
    }
}
