package io.github.idempotency.testsupport;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Finds a service for the tests by trying its {@link ServiceSource sources} in order, and uses the first that
 * provides it. When none does, the tests fail, never skip (a skipped test proves nothing about a store), with
 * a message that names each source tried and why it provided nothing.
 *
 * @param <T> how to reach the service
 */
public final class TestServiceResolver<T> {

    private static final Log logger = LogFactory.getLog(TestServiceResolver.class);

    private final String service;

    private final List<NamedSource<T>> sources = new ArrayList<>();

    /**
     * Creates a resolver without sources.
     * @param service the service's name in messages, such as {@code PostgreSQL}
     */
    public TestServiceResolver(String service) {
        this.service = service;
    }

    /**
     * Adds the next source to try.
     * @param name the source's name in messages, such as {@code local server on 127.0.0.1:5432}
     * @param source the source
     * @return this resolver
     */
    public TestServiceResolver<T> thenTry(String name, ServiceSource<T> source) {
        this.sources.add(new NamedSource<>(name, source));
        return this;
    }

    /**
     * Returns the service of the first source that provides one; later sources are not asked.
     * @param advice what the message of a failure ends with: how to provide the service
     * @return how to reach the service
     * @throws IllegalStateException when no source provides the service, naming each and why
     */
    public T resolve(String advice) {
        StringBuilder tried = new StringBuilder();
        for (NamedSource<T> source : this.sources) {
            try {
                T provided = source.source().provide();
                logger.info(this.service + " for the tests: " + source.name()
                        + (tried.isEmpty() ? "" : "; not used before it:" + tried));
                return provided;
            } catch (SourceUnavailableException ex) {
                tried.append("\n  - ").append(source.name()).append(": ").append(ex.getMessage());
            }
        }
        throw new IllegalStateException(
                "These tests need " + this.service + " and found none. Tried, in order:" + tried + "\n" + advice);
    }

    private record NamedSource<T>(String name, ServiceSource<T> source) {}
}
