package io.funnelflow.service.security;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.annotation.ContextConfigurer;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Gives every service the platform's one configuration of security and binding ({@code
 * funnelflow-platform.yml} of this module), below the service's own {@code application.yml}, so a
 * service adds to it (or a deployment overrides it) without copying it.
 */
@ContextConfigurer
public final class PlatformDefaults implements ApplicationContextConfigurer {

    /** The resource with the shared configuration. */
    public static final String RESOURCE = "funnelflow-platform.yml";
    /** Below application.yml (-300), so that a service's own file wins. */
    static final int PRIORITY = -400;

    @Override
    public void configure(ApplicationContextBuilder builder) {
        builder.propertySources(PropertySource.of(RESOURCE, read(), PRIORITY));
    }

    static Map<String, Object> read() {
        try (InputStream in = PlatformDefaults.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new YamlPropertySourceLoader().read(RESOURCE, in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }
}
