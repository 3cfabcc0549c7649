package io.funnelflow.service.privacy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.funnelflow.contract.privacy.Personal;
import io.funnelflow.service.security.Roles;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes {@link Personal} properties only for callers with the {@code admin} scope. The platform's JSON
 * mapper carries {@link #module()}: a personal property is written as usual unless the serialization is
 * asked to withhold ({@link #withhold}), in which case it is left out and its name collected. The same
 * mapper, the same records, one rule — for HTTP answers ({@link PersonalFieldsFilter}) and for events of
 * a Server-Sent Events stream alike.
 */
public final class PersonalFields {

    /** The member of a JSON object answer that lists the withheld fields. */
    public static final String MEMBER = "withheld";
    /** The response header that lists them, for answers that are not JSON objects (arrays). */
    public static final String HEADER = "FunnelFlow-Withheld";

    /** The per-serialization attribute that holds the set of withheld names; absent: write everything. */
    private static final Object WITHHELD = PersonalFields.class.getName() + ".withheld";

    private PersonalFields() {
    }

    /** A value as a caller without admin may see it: the tree without personal properties, and their names. */
    public record Withheld(JsonNode tree, Set<String> names) {

        /** The tree, with the {@value #MEMBER} member added when it is an object and something was left out. */
        public JsonNode answer() {
            if (names.isEmpty() || !(tree instanceof ObjectNode object)) {
                return tree;
            }
            ObjectNode out = object.deepCopy();
            names.forEach(out.putArray(MEMBER)::add);
            return out;
        }
    }

    /** The Jackson module that knows personal properties; inert until a serialization asks to withhold. */
    public static Module module() {
        SimpleModule module = new SimpleModule("funnelflow-personal-fields");
        module.setSerializerModifier(new BeanSerializerModifier() {
            @Override
            public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription description,
                                                             List<BeanPropertyWriter> properties) {
                List<BeanPropertyWriter> out = new ArrayList<>(properties.size());
                for (BeanPropertyWriter p : properties) {
                    out.add(p.getAnnotation(Personal.class) != null ? new WithheldWriter(p) : p);
                }
                return out;
            }
        });
        return module;
    }

    /** Serializes {@code value} with {@code mapper} (which must carry {@link #module()}), leaving personal properties out. */
    public static Withheld withhold(ObjectMapper mapper, Object value) {
        Set<String> names = new TreeSet<>();
        try (TokenBuffer buffer = new TokenBuffer(mapper, false)) {
            mapper.writer().withAttribute(WITHHELD, names).writeValue(buffer, value);
            return new Withheld(buffer.asParser(mapper).readValueAsTree(), names);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** Whether this request's caller may see personal fields: it holds the {@code admin} role. */
    public static boolean mayRead(HttpRequest<?> request) {
        return request.getUserPrincipal(Authentication.class)
                .map(a -> a.getRoles().contains(Roles.ADMIN))
                .orElse(false);
    }

    /** A personal property: written unless the serialization withholds, then only named. */
    private static final class WithheldWriter extends BeanPropertyWriter {

        private static final long serialVersionUID = 1L;

        WithheldWriter(BeanPropertyWriter base) {
            super(base);
        }

        @Override
        public void serializeAsField(Object bean, JsonGenerator gen, SerializerProvider prov) throws Exception {
            if (!collect(prov)) {
                super.serializeAsField(bean, gen, prov);
            }
        }

        @Override
        public void serializeAsElement(Object bean, JsonGenerator gen, SerializerProvider prov) throws Exception {
            if (collect(prov)) {
                gen.writeNull();
            } else {
                super.serializeAsElement(bean, gen, prov);
            }
        }

        @SuppressWarnings("unchecked")
        private boolean collect(SerializerProvider prov) {
            if (prov.getAttribute(WITHHELD) instanceof Set<?> names) {
                ((Set<String>) names).add(getName());
                return true;
            }
            return false;
        }
    }
}
