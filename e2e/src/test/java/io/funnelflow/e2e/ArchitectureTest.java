package io.funnelflow.e2e;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.funnelflow.aggregator.fixture.AggregatorPart;
import io.funnelflow.contract.event.EventType;
import io.funnelflow.contract.topic.Topic;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.ingest.fixture.RawNames;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules the architecture rests on, over the compiled classes of the shared modules and the five
 * services: services do not use one another (they meet on Kafka topics and HTTP); contract and
 * service-support use no service; only the registry ({@code Topics}) names a topic; and no service spells
 * a topic or a standard event type as a raw string ({@code Topics}, {@code EventType}). Each rule is also
 * run over a fixture that breaks it, so that a rule which could never fail fails here.
 */
class ArchitectureTest {

    /** The services' modules and their root packages. */
    static final Map<String, String> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("ingest-service", "io.funnelflow.ingest");
        SERVICES.put("funnel-aggregator", "io.funnelflow.aggregator");
        SERVICES.put("prediction-service", "io.funnelflow.prediction");
        SERVICES.put("insights-service", "io.funnelflow.insights");
        SERVICES.put("crm-service", "io.funnelflow.crm");
    }

    static final List<String> SHARED = List.of("contract", "service-support");

    static JavaClasses classes;
    static JavaClasses fixtures;

    @BeforeAll
    static void importClasses() {
        List<Path> dirs = Stream.concat(SHARED.stream(), SERVICES.keySet().stream()).map(ArchitectureTest::classesOf).toList();
        classes = new ClassFileImporter().importPaths(dirs);
        // a rule over no classes passes: make sure every module is there
        for (String pkg : SERVICES.values()) {
            assertThat(classes.that(JavaClass.Predicates.resideInAPackage(pkg + "..")).size()).as(pkg).isGreaterThan(5);
        }
        fixtures = new ClassFileImporter().importClasses(RawNames.class, AggregatorPart.class);
    }

    @Test
    void servicesDoNotUseOneAnother() {
        for (ArchRule rule : serviceIsolation()) {
            rule.check(classes);
        }
        assertThatThrownBy(() -> serviceIsolation().forEach(r -> r.check(fixtures))).isInstanceOf(AssertionError.class)
                .hasMessageContaining(RawNames.class.getName());
    }

    @Test
    void theSharedModulesUseNoService() {
        noDependency(new String[] {"io.funnelflow.contract..", "io.funnelflow.service.."},
                SERVICES.values().stream().map(p -> p + "..").toArray(String[]::new)).check(classes);
        assertThatThrownBy(() -> noDependency(new String[] {"io.funnelflow.ingest.fixture.."},
                new String[] {"io.funnelflow.aggregator.."}).check(fixtures)).isInstanceOf(AssertionError.class)
                .hasMessageContaining(RawNames.class.getName());
    }

    @Test
    void onlyTheRegistryMakesATopic() {
        for (ArchRule rule : onlyTheRegistryConstructs()) {
            rule.check(classes);
        }
        assertThatThrownBy(() -> onlyTheRegistryConstructs().forEach(r -> r.check(fixtures))).isInstanceOf(AssertionError.class)
                .hasMessageContaining(RawNames.class.getName());
    }

    @Test
    void noServiceSpellsATopicOrAStandardEventType() throws IOException {
        List<String> found = new ArrayList<>();
        for (String module : Stream.concat(Stream.of("service-support"), SERVICES.keySet().stream()).toList()) {
            Path root = classesOf(module);
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    Set<String> generatedNames = methodsGeneratedFor(root, f);
                    try (InputStream in = Files.newInputStream(f)) {
                        rawNames(in).stream().filter(s -> !generatedNames.contains(s))
                                .forEach(s -> found.add(module + ": " + f.getFileName() + " spells \"" + s + "\""));
                    }
                }
            }
        }
        assertThat(found).as("use Topics and EventType").isEmpty();
        try (InputStream in = ArchitectureTest.class.getResourceAsStream("/" + RawNames.class.getName().replace('.', '/') + ".class")) {
            // the SQL is found whole: the constant that quotes the event type, not the quoted part alone
            assertThat(rawNames(in)).contains(Topics.EVENTS.name(), EventType.PURCHASE.wireName(),
                    "SELECT count(*) FROM events WHERE event_type = 'add_to_cart'");
        }
    }

    /**
     * The method names of the class a Micronaut-generated class ({@code $SegmentController$Definition$Exec})
     * was written for: it spells them to dispatch to the methods (a route method {@code identify} is no
     * event type), which the source never does. Empty for every other class.
     */
    static Set<String> methodsGeneratedFor(Path root, Path classFile) {
        String name = classFile.getFileName().toString();
        int end = name.indexOf('$', 1);
        if (!name.startsWith("$") || end < 0) {
            return Set.of();
        }
        String pkg = root.relativize(classFile.getParent()).toString().replace(java.io.File.separatorChar, '.');
        String target = (pkg.isEmpty() ? "" : pkg + ".") + name.substring(1, end);
        if (!classes.contain(target)) {
            return Set.of();
        }
        Set<String> methods = new HashSet<>();
        classes.get(target).getMethods().forEach(m -> methods.add(m.getName()));
        return methods;
    }

    static List<ArchRule> serviceIsolation() {
        List<ArchRule> rules = new ArrayList<>();
        for (String pkg : SERVICES.values()) {
            String[] others = SERVICES.values().stream().filter(p -> !p.equals(pkg)).map(p -> p + "..").toArray(String[]::new);
            rules.add(noClasses().that().resideInAPackage(pkg + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("services meet only on Kafka topics and over HTTP"));
        }
        return rules;
    }

    static ArchRule noDependency(String[] from, String[] to) {
        return noClasses().that().resideInAnyPackage(from)
                .should().dependOnClassesThat().resideInAnyPackage(to)
                .because("every service builds on contract and service-support, never the other way round");
    }

    /** Outside the registry's package nobody constructs a {@code Topic}, nor a Kafka {@code NewTopic}. */
    static List<ArchRule> onlyTheRegistryConstructs() {
        List<ArchRule> rules = new ArrayList<>();
        for (Class<?> type : List.of(Topic.class, NewTopic.class)) {
            for (Constructor<?> c : type.getConstructors()) {
                rules.add(noClasses().that().resideOutsideOfPackage("io.funnelflow.contract.topic..")
                        .should().callConstructor(type, c.getParameterTypes())
                        .because("every topic is one of the registry's, Topics"));
            }
        }
        return rules;
    }

    /**
     * The string constants of a class file that spell a topic's name or a standard event type: equal to
     * one, or quoting one in SQL ({@code 'purchase'}). Read from the constant pool, so comments and
     * documentation do not count, and every literal does — also inside text blocks and concatenations.
     */
    static Set<String> rawNames(InputStream classFile) throws IOException {
        Set<String> names = new HashSet<>();
        Topics.ALL.forEach(t -> names.add(t.name()));
        Set<String> wireNames = new HashSet<>();
        for (EventType t : EventType.values()) {
            wireNames.add(t.wireName());
        }
        names.addAll(wireNames);
        Set<String> found = new HashSet<>();
        for (String s : stringConstants(classFile)) {
            if (names.contains(s) || wireNames.stream().anyMatch(w -> s.contains("'" + w + "'"))) {
                found.add(s);
            }
        }
        return found;
    }

    /** The {@code CONSTANT_String} entries of a class file (JVMS 4.4). */
    static List<String> stringConstants(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        assertThat(in.readInt()).as("class file magic").isEqualTo(0xCAFEBABE);
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> strings = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 8 -> strings.add(in.readUnsignedShort());
                case 7, 16, 19, 20 -> in.skipBytes(2);
                case 15 -> in.skipBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                case 5, 6 -> {
                    in.skipBytes(8);
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        return strings.stream().map(i -> utf8[i]).toList();
    }

    static Path classesOf(String module) {
        Path dir = Path.of("..", module, "target", "classes");
        assertThat(dir).as("the compiled classes of " + module).isDirectory();
        return dir;
    }
}
