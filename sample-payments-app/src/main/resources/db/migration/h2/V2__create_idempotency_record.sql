-- Copied from the starter's io/github/idempotency/store/jdbc/schema-h2.sql: Flyway owns the schema here,
-- so the starter's own initializer is off (idempotency.jdbc.initialize-schema=never).
-- Table of the idempotency starter's JDBC store (H2).
-- Times are epoch milliseconds from the application's clock, so every database compares them the same way.
CREATE TABLE IF NOT EXISTS idempotency_record (
    scope_hash            VARCHAR(64)       NOT NULL,
    idempotency_key       VARCHAR(1024)     NOT NULL,
    fingerprint           VARCHAR(128)      NOT NULL,
    status                VARCHAR(16)       NOT NULL,
    owner_token           VARCHAR(64),
    lease_expires_at      BIGINT,
    expires_at            BIGINT            NOT NULL,
    created_at            BIGINT            NOT NULL,
    response_status       INTEGER,
    response_headers      CHARACTER LARGE OBJECT,
    response_body         BINARY LARGE OBJECT,
    response_body_omitted BOOLEAN           DEFAULT FALSE NOT NULL,
    CONSTRAINT idempotency_record_pk PRIMARY KEY (scope_hash, idempotency_key)
);

CREATE INDEX IF NOT EXISTS idempotency_record_expires_at_idx ON idempotency_record (expires_at);
