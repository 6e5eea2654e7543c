package io.github.idempotency.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.github.idempotency.ClaimToken;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Tests of {@link JdbcIdempotencyStore} that need no working database: its arguments, and how it reports a
 * database it cannot reach.
 */
class JdbcIdempotencyStoreTests {

    private static final IdempotencyKey KEY = new IdempotencyKey("alice POST /payments", "key-1");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "records; DROP TABLE users",
                "records--",
                "a.b.c",
                "1records",
                "\"records\"",
                "records ",
                "re-cords",
                ".records",
                "records.",
                ""
            })
    void constructorWhenTableNameIsNotPlainIdentifierThenRejectsIt(String tableName) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store(new JdbcTemplate(), tableName))
                .withMessageContaining("tableName");
    }

    @ParameterizedTest
    @ValueSource(strings = {"idempotency_record", "app.idempotency_record", "Records$1", "_records"})
    void constructorWhenTableNameIsPlainOrSchemaQualifiedThenAcceptsIt(String tableName) {
        assertThatNoException().isThrownBy(() -> store(new JdbcTemplate(), tableName));
    }

    @Test
    void setQueryTimeoutWhenNegativeThenRejectsIt() {
        JdbcIdempotencyStore store = store(new JdbcTemplate(), "idempotency_record");

        assertThatIllegalArgumentException().isThrownBy(() -> store.setQueryTimeout(Duration.ofSeconds(-1)));
    }

    @Test
    void scopeHashIsHexSha256OfUtf8Scope() {
        assertThat(JdbcIdempotencyStore.scopeHash(""))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(JdbcIdempotencyStore.scopeHash("zoë"))
                .hasSize(64)
                .isNotEqualTo(JdbcIdempotencyStore.scopeHash("zoe"));
    }

    @Test
    void operationsWhenDatabaseIsUnreachableThenThrowStoreExceptionSayingWhatFailed() {
        // Nothing listens on port 1: the connection is refused at once.
        JdbcIdempotencyStore store = store(
                new JdbcTemplate(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none")),
                "idempotency_record");
        ClaimToken token = ClaimToken.random();
        StoredResponse response = new StoredResponse(204, List.of(), new byte[0], false);

        assertStoreFailure(() -> store.claim(KEY, "fingerprint", Duration.ofSeconds(30)), "claim an idempotency key");
        assertStoreFailure(
                () -> store.complete(KEY, token, response, Duration.ofHours(1)), "complete an idempotency record");
        assertStoreFailure(() -> store.release(KEY, token), "release an idempotency key");
        assertStoreFailure(() -> store.renew(KEY, token, Duration.ofSeconds(30)), "renew an idempotency lease");
        assertStoreFailure(() -> store.purgeExpired(100), "purge expired idempotency records");
    }

    private static void assertStoreFailure(ThrowingCallable call, String action) {
        assertThatExceptionOfType(IdempotencyStoreException.class)
                .isThrownBy(call)
                .withMessageStartingWith("Could not " + action)
                .withMessageContaining("in table 'idempotency_record'")
                .withMessageContaining("refused");
    }

    private static JdbcIdempotencyStore store(JdbcTemplate jdbcTemplate, String tableName) {
        return new JdbcIdempotencyStore(jdbcTemplate, tableName, Clock.systemUTC(), ExpiredLeasePolicy.TAKE_OVER);
    }
}
