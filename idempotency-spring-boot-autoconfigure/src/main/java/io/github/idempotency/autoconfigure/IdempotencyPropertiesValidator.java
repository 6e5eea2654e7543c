package io.github.idempotency.autoconfigure;

import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyScope;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Fails startup on {@code idempotency.*} values no endpoint can work with, naming the property: Spring Boot's
 * {@code InvalidConfigurationPropertyValueFailureAnalyzer} reports the exception with the value as written and
 * where it comes from. Called by {@link IdempotencyProperties#afterPropertiesSet()}.
 */
final class IdempotencyPropertiesValidator {

    private static final Pattern HEADER_TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private static final Pattern SQL_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    private IdempotencyPropertiesValidator() {}

    static void validate(IdempotencyProperties properties) {
        headerName("idempotency.header-name", properties.getHeaderName());
        positive("idempotency.ttl", properties.getTtl());
        positive("idempotency.lease", properties.getLease());
        Duration inProgressRetryAfter = properties.getInProgressRetryAfter();
        if (inProgressRetryAfter != null
                && (inProgressRetryAfter.compareTo(Duration.ofSeconds(1)) < 0
                        || inProgressRetryAfter.compareTo(properties.getLease()) > 0)) {
            throw invalid(
                    "idempotency.in-progress-retry-after",
                    inProgressRetryAfter,
                    "must be between 1s and idempotency.lease (" + properties.getLease()
                            + "), or unset to estimate it");
        }
        positive("idempotency.store.timeout", properties.getStore().getTimeout());
        size("idempotency.max-request-size", properties.getMaxRequestSize());
        size("idempotency.max-response-size", properties.getMaxResponseSize());
        if (properties.getScope() == null || properties.getScope() == IdempotencyScope.DEFAULT) {
            throw invalid(
                    "idempotency.scope",
                    properties.getScope(),
                    "must be one of USER_AND_ENDPOINT, USER, ENDPOINT, GLOBAL");
        }
        if (properties.getMaxKeyLength() < 1 || properties.getMaxKeyLength() > IdempotencyKey.MAX_LENGTH) {
            throw invalid(
                    "idempotency.max-key-length",
                    properties.getMaxKeyLength(),
                    "must be between 1 and " + IdempotencyKey.MAX_LENGTH);
        }
        if (properties.getExpiredLeasePolicy() == null) {
            throw invalid("idempotency.expired-lease-policy", null, "must be TAKE_OVER or BLOCK");
        }
        String tableName = properties.getJdbc().getTableName();
        if (tableName == null || !SQL_IDENTIFIER.matcher(tableName).matches()) {
            throw invalid(
                    "idempotency.jdbc.table-name",
                    tableName,
                    "must be a plain SQL identifier, optionally schema-qualified (letters, digits, '_')");
        }
        if (properties.getJdbc().getPurgeBatchSize() < 1) {
            throw invalid(
                    "idempotency.jdbc.purge-batch-size", properties.getJdbc().getPurgeBatchSize(), "must be positive");
        }
        if (properties.getJdbc().getClaimCommit() == null) {
            throw invalid("idempotency.jdbc.claim-commit", null, "must be SYNC or ASYNC");
        }
        if (properties.getRedis().getKeyPrefix() == null) {
            throw invalid("idempotency.redis.key-prefix", null, "must not be null");
        }
        if (properties.getMemory().getMaxEntries() < 1) {
            throw invalid(
                    "idempotency.memory.max-entries", properties.getMemory().getMaxEntries(), "must be positive");
        }
    }

    static void headerName(String name, String value) {
        if (value == null || !HEADER_TOKEN.matcher(value).matches()) {
            throw invalid(name, value, "must be an HTTP header name");
        }
    }

    static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(name, value, "must be a positive duration");
        }
    }

    private static void size(String name, DataSize value) {
        if (value == null || value.toBytes() < 1 || value.toBytes() > Integer.MAX_VALUE - 16) {
            throw invalid(name, value, "must be between 1B and 2GB");
        }
    }

    static InvalidConfigurationPropertyValueException invalid(String name, Object value, String reason) {
        return new InvalidConfigurationPropertyValueException(name, value, reason);
    }
}
