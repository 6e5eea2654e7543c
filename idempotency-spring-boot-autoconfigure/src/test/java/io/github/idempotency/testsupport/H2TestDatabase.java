package io.github.idempotency.testsupport;

import com.zaxxer.hikari.HikariDataSource;
import java.util.UUID;

/**
 * In-memory H2 databases for tests, the embedded default: each one new and private to its test class.
 */
public final class H2TestDatabase {

    private H2TestDatabase() {}

    /**
     * Creates a pooled data source on a new in-memory database, which lives until the pool is closed.
     * @param maximumPoolSize the most connections the pool opens: more than the threads a test runs at once
     * @return the data source; the caller closes it
     */
    public static HikariDataSource createDataSource(int maximumPoolSize) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        dataSource.setMaximumPoolSize(maximumPoolSize);
        dataSource.setPoolName("h2-test");
        return dataSource;
    }
}
