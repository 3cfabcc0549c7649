package io.funnelflow.insights.llm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The prompts, read from {@code prompts/<version>.<part>.txt} on the classpath. The version is part
 * of every file name and is logged with each answer, so an answer can be traced to its exact prompt.
 */
public final class Prompts {

    public static final String VERSION = "insights-v1";

    private final String version;
    private final String system;
    private final String user;
    private final String retry;

    public Prompts(String version) {
        this.version = version;
        this.system = read(version, "system");
        this.user = read(version, "user");
        this.retry = read(version, "retry");
    }

    public static Prompts current() {
        return new Prompts(VERSION);
    }

    public String version() {
        return version;
    }

    public String system() {
        return system;
    }

    public String user(Map<String, String> values) {
        return fill(user, values);
    }

    public String retry(String violations) {
        return fill(retry, Map.of("violations", violations));
    }

    private static String fill(String template, Map<String, String> values) {
        String out = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("{{" + e.getKey() + "}}", e.getValue());
        }
        if (out.contains("{{")) {
            throw new IllegalArgumentException("a placeholder of the prompt was not filled: " + out);
        }
        return out;
    }

    private static String read(String version, String part) {
        String name = "prompts/" + version + "." + part + ".txt";
        try (InputStream in = Prompts.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("prompt " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prompt " + name, e);
        }
    }
}
