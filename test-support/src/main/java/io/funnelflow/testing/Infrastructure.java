package io.funnelflow.testing;

import org.testcontainers.DockerClientFactory;

/** Which real infrastructure the tests of this JVM use. */
final class Infrastructure {

    static final String KAFKA_IMAGE_TAG = "4.1.0";
    static final String POSTGRES_IMAGE = "postgres:17-alpine";

    private static Boolean containers;

    private Infrastructure() {
    }

    /** Testcontainers where Docker runs, unless {@code FUNNELFLOW_TEST_CONTAINERS=false}. */
    static synchronized boolean useContainers() {
        if (containers == null) {
            containers = !"false".equalsIgnoreCase(System.getenv("FUNNELFLOW_TEST_CONTAINERS"))
                    && DockerClientFactory.instance().isDockerAvailable();
        }
        return containers;
    }
}
