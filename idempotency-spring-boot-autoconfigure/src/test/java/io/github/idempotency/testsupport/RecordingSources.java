package io.github.idempotency.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * Sources of a test's own, for tests of the order in which sources are tried: each answers or not as told,
 * and records that it was asked.
 */
final class RecordingSources {

    private final List<String> asked = new ArrayList<>();

    /**
     * Returns a source that provides a service.
     * @param <T> how to reach the service
     * @param name the name it records when asked
     * @param service what it provides
     * @return the source
     */
    <T> ServiceSource<T> answering(String name, T service) {
        return () -> {
            this.asked.add(name);
            return service;
        };
    }

    /**
     * Returns a source that provides nothing.
     * @param <T> how to reach the service
     * @param name the name it records when asked
     * @param reason why it provides nothing
     * @return the source
     */
    <T> ServiceSource<T> absent(String name, String reason) {
        return () -> {
            this.asked.add(name);
            throw new SourceUnavailableException(reason);
        };
    }

    /**
     * Returns the names of the sources asked so far, in the order they were asked.
     * @return the names
     */
    List<String> asked() {
        return this.asked;
    }
}
