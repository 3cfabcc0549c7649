package io.funnelflow.service.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.reactivestreams.Publisher;
import org.zalando.problem.Problem;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Every JSON answer of every service, for a caller without {@code admin}: its {@link io.funnelflow.contract.privacy.Personal}
 * properties are left out, and the answer names them — in its {@value PersonalFields#MEMBER} member when
 * it is an object, and always in the {@value PersonalFields#HEADER} header. A route therefore cannot
 * forget to withhold: marking the record's component is enough. Streams (Server-Sent Events) are not
 * bodies of this kind; they withhold per event ({@link PersonalFields#withhold}).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class PersonalFieldsFilter {

    private final ObjectMapper mapper;

    public PersonalFieldsFilter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @ResponseFilter
    public void withhold(HttpRequest<?> request, MutableHttpResponse<?> response) {
        Optional<?> body = response.getBody();
        if (body.isEmpty() || !isRecordLike(body.get()) || !isJson(response) || PersonalFields.mayRead(request)) {
            return;
        }
        PersonalFields.Withheld withheld = PersonalFields.withhold(mapper, body.get());
        if (withheld.names().isEmpty()) {
            return;
        }
        response.header(PersonalFields.HEADER, String.join(", ", withheld.names()));
        @SuppressWarnings("unchecked")
        MutableHttpResponse<Object> answer = (MutableHttpResponse<Object>) response;
        answer.body((Object) withheld.answer());
    }

    private static boolean isJson(MutableHttpResponse<?> response) {
        return response.getContentType().map(PersonalFieldsFilter::isJsonType).orElse(true);
    }

    /** Objects our records are made of; not text, bytes, trees passed on from elsewhere, streams or problems. */
    private static boolean isRecordLike(Object body) {
        return !(body instanceof CharSequence || body instanceof byte[] || body instanceof ByteBuffer
                || body instanceof JsonNode || body instanceof Publisher<?> || body instanceof Problem
                || body instanceof Number || body instanceof Boolean || body.getClass().getName().startsWith("io.micronaut."));
    }

    private static boolean isJsonType(MediaType type) {
        return type.getSubtype().equals("json") || type.getSubtype().endsWith("+json");
    }
}
