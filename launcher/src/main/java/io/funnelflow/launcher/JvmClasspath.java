package io.funnelflow.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** The classpath of the running JVM as a child JVM can use it. */
final class JvmClasspath {

    private JvmClasspath() {
    }

    /**
     * {@code java.class.path}, with a lone jar's manifest {@code Class-Path} expanded: a runnable jar
     * started with {@code -jar} and Surefire's manifest-only jar both hide the real classpath there.
     */
    static String current() {
        String classpath = System.getProperty("java.class.path");
        String[] parts = classpath.split(File.pathSeparator);
        if (parts.length != 1 || !parts[0].endsWith(".jar")) {
            return classpath;
        }
        Path jar = Path.of(parts[0]).toAbsolutePath();
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String manifestClasspath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (manifestClasspath == null || manifestClasspath.isBlank()) {
                return classpath;
            }
            URI base = jar.getParent().toUri();
            List<String> entries = new ArrayList<>();
            entries.add(jar.toString());
            for (String entry : manifestClasspath.trim().split("\\s+")) {
                entries.add(Path.of(base.resolve(entry)).toString());
            }
            return String.join(File.pathSeparator, entries);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the manifest of " + jar, e);
        }
    }

    /**
     * Every JVM the platform starts ends on an OutOfMemoryError: a JVM that lives on after one may have
     * lost any thread (a sink, a stream) and answer UP while it does nothing; one that exits is started
     * again by its supervisor.
     */
    static final String EXIT_ON_OUT_OF_MEMORY = "-XX:+ExitOnOutOfMemoryError";

    /** The java executable of the running JVM. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
