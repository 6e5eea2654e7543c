-- Payments and their refunds. Portable SQL: the same script serves H2 and PostgreSQL.
CREATE TABLE payment (
    id              UUID                        NOT NULL,
    owner           VARCHAR(255)                NOT NULL,
    amount          BIGINT                      NOT NULL,
    currency        VARCHAR(3)                  NOT NULL,
    source          VARCHAR(64)                 NOT NULL,
    status          VARCHAR(32)                 NOT NULL,
    refunded_amount BIGINT                      DEFAULT 0 NOT NULL,
    created_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT payment_pk PRIMARY KEY (id),
    CONSTRAINT payment_amount_positive CHECK (amount > 0),
    CONSTRAINT payment_refunded_within_amount CHECK (refunded_amount BETWEEN 0 AND amount)
);

CREATE INDEX payment_owner_created_at_idx ON payment (owner, created_at);

CREATE TABLE refund (
    id         UUID                        NOT NULL,
    payment_id UUID                        NOT NULL,
    amount     BIGINT                      NOT NULL,
    created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT refund_pk PRIMARY KEY (id),
    CONSTRAINT refund_payment_fk FOREIGN KEY (payment_id) REFERENCES payment (id),
    CONSTRAINT refund_amount_positive CHECK (amount > 0)
);

CREATE INDEX refund_payment_id_idx ON refund (payment_id);
