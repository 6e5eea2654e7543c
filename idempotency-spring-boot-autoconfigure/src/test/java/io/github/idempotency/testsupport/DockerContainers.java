package io.github.idempotency.testsupport;

import java.util.function.Supplier;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Starts the containers of {@link TestImages} where a Docker engine runs. They are never stopped here:
 * Testcontainers removes them when the JVM ends.
 */
final class DockerContainers {

    private DockerContainers() {}

    /**
     * Starts a container.
     * @param <C> the container's type
     * @param container creates the container, asked only when a Docker engine runs
     * @return the started container
     * @throws SourceUnavailableException when no Docker engine runs, or the container does not start
     */
    static <C extends GenericContainer<?>> C start(Supplier<C> container) throws SourceUnavailableException {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new SourceUnavailableException("no Docker engine found");
        }
        C started = container.get();
        try {
            started.start();
        } catch (RuntimeException ex) {
            throw new SourceUnavailableException(
                    "a Docker engine runs, but the container did not start (" + ex.getMessage() + ")", ex);
        }
        return started;
    }
}
