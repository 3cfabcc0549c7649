package io.funnelflow.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.funnelflow.contract.json.Json;
import io.funnelflow.service.privacy.PersonalFields;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import org.zalando.problem.jackson.ProblemModule;

/**
 * Micronaut's own mapper (HTTP bodies) follows the platform's JSON conventions, so every answer writes times
 * alike, and writes problems as RFC 7807 has them (status as a number, extension members at the top level,
 * never a stack trace), and leaves personal fields out of answers to callers without admin ({@link PersonalFields}).
 */
@Singleton
public class PlatformJson implements BeanCreatedEventListener<ObjectMapper> {

    @Override
    public ObjectMapper onCreated(BeanCreatedEvent<ObjectMapper> event) {
        return Json.configure(event.getBean()).registerModule(new ProblemModule()).registerModule(PersonalFields.module());
    }
}
