package io.funnelflow.aggregator.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.funnelflow.aggregator.live.LiveFeed;
import io.funnelflow.aggregator.live.LiveSession;
import io.funnelflow.aggregator.live.LiveStream;
import io.funnelflow.service.privacy.PersonalFields;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.sse.Event;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import java.util.List;

/** The dashboard's live side: a Server-Sent Events stream of the live feed and of data changes. */
@Controller("/api/live")
public class LiveController {

    private final LiveStream stream;
    private final LiveFeed feed;
    private final ObjectMapper mapper;

    public LiveController(LiveStream stream, LiveFeed feed, ObjectMapper mapper) {
        this.stream = stream;
        this.feed = feed;
        this.mapper = mapper;
    }

    /**
     * {@code snapshot}, then {@code session}, {@code session_removed}, {@code refresh} and {@code ping} events; see
     * {@link LiveStream}. Without admin, each event's personal fields (the visitor, the user) are left out and named
     * in its {@code withheld} member.
     */
    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    Publisher<Event<Object>> events(HttpRequest<?> request) {
        Flux<Event<Object>> events = stream.connect();
        return PersonalFields.mayRead(request) ? events : events.map(this::withhold);
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
