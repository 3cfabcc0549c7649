package io.funnelflow.testing;

import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Java agent that makes a real OutOfMemoryError in the JVM it is loaded into, on a trigger: once the
 * file named by its argument exists, it deletes the file (so that a restarted JVM with the same agent
 * runs on) and allocates until the heap is exhausted. Started with
 * {@code -javaagent:funnelflow-test-support.jar=/path/to/trigger}.
 */
public final class OomAgent {

    private OomAgent() {
    }

    public static void premain(String trigger, Instrumentation instrumentation) {
        Path file = Path.of(trigger);
        Thread watcher = new Thread(() -> {
            try {
                while (!Files.exists(file)) {
                    Thread.sleep(100);
                }
                Files.deleteIfExists(file);
                System.err.println("OomAgent: " + file + " appeared; allocating until the heap is exhausted");
                List<long[]> hoard = new ArrayList<>();
                while (true) {
                    hoard.add(new long[1 << 17]);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException e) {
                System.err.println("OomAgent: " + e);
            }
        }, "oom-agent");
        watcher.setDaemon(true);
        watcher.start();
    }
}
