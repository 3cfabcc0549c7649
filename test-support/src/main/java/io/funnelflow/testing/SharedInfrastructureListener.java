package io.funnelflow.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the shared Kafka broker when the test run of a JVM ends, before the JVM starts to exit.
 *
 * <p>Left to shutdown hooks, the broker would stop while other hooks already delete its files.
 * Registered through {@code META-INF/services}, so every module that uses the test support gets it.
 */
public final class SharedInfrastructureListener implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        SharedKafka.stop();
    }
}
