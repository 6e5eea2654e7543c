package io.github.idempotency.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.github.idempotency.testsupport.H2TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

/**
 * {@link JdbcIdempotencySchemaInitializer} on an in-memory H2 database, plus how it renames the script.
 */
class JdbcIdempotencySchemaInitializerTests extends AbstractJdbcIdempotencySchemaInitializerTests {

    @Override
    protected HikariDataSource createDataSource() {
        return H2TestDatabase.createDataSource(4);
    }

    @Override
    protected boolean isEmbedded() {
        return true;
    }

    @Test
    void renameTableWhenQualifiedBySchemaThenQualifiesOnlyTheTable() {
        String script = """
                CREATE TABLE IF NOT EXISTS idempotency_record (
                    CONSTRAINT idempotency_record_pk PRIMARY KEY (scope_hash, idempotency_key)
                );
                CREATE INDEX IF NOT EXISTS idempotency_record_expires_at_idx ON idempotency_record (expires_at);
                """;

        String renamed = initializer("app.payment_keys", DatabaseInitializationMode.NEVER)
                .renameTable(script);

        assertThat(renamed).isEqualTo("""
                CREATE TABLE IF NOT EXISTS app.payment_keys (
                    CONSTRAINT payment_keys_pk PRIMARY KEY (scope_hash, idempotency_key)
                );
                CREATE INDEX IF NOT EXISTS payment_keys_expires_at_idx ON app.payment_keys (expires_at);
                """);
    }
}
