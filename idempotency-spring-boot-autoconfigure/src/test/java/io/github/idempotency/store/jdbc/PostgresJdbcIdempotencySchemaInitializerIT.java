package io.github.idempotency.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.testsupport.PostgresTestDatabase;

/**
 * {@link JdbcIdempotencySchemaInitializer} on PostgreSQL (see {@link PostgresTestDatabase}).
 */
class PostgresJdbcIdempotencySchemaInitializerIT extends AbstractJdbcIdempotencySchemaInitializerTests {

    @Override
    protected HikariDataSource createDataSource() {
        return PostgresTestDatabase.createDataSource(4);
    }

    @Override
    protected boolean isEmbedded() {
        return false;
    }
}
