package io.funnelflow.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One FunnelFlow service as a child JVM from its runnable jar, healthy before it is handed out. Like every
 * JVM of the platform it exits on an OutOfMemoryError rather than live on with a thread dead or a heap
 * in disorder; a {@link Supervisor} starts it again.
 */
public final class ServiceProcess implements AutoCloseable, Supervisor.Child {

    private final ChildProcess process;
    private final String url;

    private ServiceProcess(ChildProcess process, String url) {
        this.process = process;
        this.url = url;
    }

    /**
     * Starts {@code jar} with {@code env} and waits until {@code url}/health answers 200.
     *
     * @param heap the JVM's maximum heap, e.g. {@code 256m}
     */
    public static ServiceProcess start(String name, Path jar, String url, Map<String, String> env, String heap, Path log,
                                       Duration timeout) throws IOException, InterruptedException {
        return start(name, jar, url, env, heap, List.of(), log, timeout);
    }

    /**
     * The same, with more JVM options before {@code -jar} (e.g. {@code -javaagent:...}).
     */
    public static ServiceProcess start(String name, Path jar, String url, Map<String, String> env, String heap,
                                       List<String> jvmOptions, Path log, Duration timeout) throws IOException, InterruptedException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (mvn package)");
        }
        List<String> command = new ArrayList<>(List.of(JvmClasspath.javaExecutable(),
                "-Xms32m", "-Xmx" + heap, "-XX:+UseSerialGC", "-Xss512k",
                "-XX:ReservedCodeCacheSize=64m", "-XX:MaxMetaspaceSize=192m", JvmClasspath.EXIT_ON_OUT_OF_MEMORY));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ServiceProcess service = new ServiceProcess(ChildProcess.start(name, command, env, log), url);
        try {
            service.awaitHealthy(timeout);
        } catch (RuntimeException | InterruptedException e) {
            service.close();
            throw e;
        }
        return service;
    }

    public String url() {
        return url;
    }

    public String name() {
        return process.name();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public int awaitExit() throws InterruptedException {
        return process.awaitExit();
    }

    /** Where its output goes. */
    public Path log() {
        return process.log();
    }

    /** Why it ended, for messages. */
    public String describeExit() {
        return process.name() + " (exit code " + process.exitCode().orElse(-1) + ", see " + process.log() + ")";
    }

    @Override
    public void stop(Duration grace) {
        process.stop(grace);
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(20));
    }

    private void awaitHealthy(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI health = URI.create(url + "/health");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.name() + " exited with code " + process.exitCode().orElse(-1)
                        + "; see " + process.log());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException(process.name() + " was not healthy within " + timeout.toSeconds() + " s; see " + process.log());
    }
}
