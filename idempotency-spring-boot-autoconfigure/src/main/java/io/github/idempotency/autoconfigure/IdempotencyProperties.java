package io.github.idempotency.autoconfigure;

import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyScope;
import io.github.idempotency.store.jdbc.ClaimCommit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the idempotency starter. The bound values are checked as soon as they are
 * bound, before any bean can use them: an invalid one fails startup with Spring Boot's report naming the
 * property, its value and the reason.
 */
@ConfigurationProperties("idempotency")
public class IdempotencyProperties implements InitializingBean {

    /**
     * Whether endpoints annotated with @Idempotent are protected.
     */
    private boolean enabled = true;

    /**
     * Name of the request header carrying the idempotency key.
     */
    private String headerName = "Idempotency-Key";

    /**
     * How long a completed response is replayed to retries.
     */
    private Duration ttl = Duration.ofHours(24);

    /**
     * How long an in-progress claim blocks other requests before it can be taken over. Renewed while the
     * handler runs.
     */
    private Duration lease = Duration.ofSeconds(60);

    /**
     * What a claim does with an expired lease of a request that stopped without finishing.
     */
    private ExpiredLeasePolicy expiredLeasePolicy = ExpiredLeasePolicy.TAKE_OVER;

    /**
     * Retry-After of a 409 answered while a request with the same key is still running, in whole seconds
     * (rounded up), between 1s and the lease. Unset, it is estimated per endpoint from the recent durations of
     * its handler less the time the running request has spent.
     */
    private Duration inProgressRetryAfter;

    /**
     * Largest response body that is recorded for replay. A larger response is sent but not replayable.
     */
    private DataSize maxResponseSize = DataSize.ofMegabytes(1);

    /**
     * Largest request body accepted on an idempotent endpoint (it is buffered to be fingerprinted).
     */
    private DataSize maxRequestSize = DataSize.ofMegabytes(1);

    /**
     * What a key is scoped to.
     */
    private IdempotencyScope scope = IdempotencyScope.USER_AND_ENDPOINT;

    /**
     * Longest idempotency key accepted, in characters.
     */
    private int maxKeyLength = 255;

    private final Store store = new Store();

    private final ResponseHeaders responseHeaders = new ResponseHeaders();

    private final Jdbc jdbc = new Jdbc();

    private final Redis redis = new Redis();

    private final Memory memory = new Memory();

    /**
     * Checks the bound values. Runs right after binding, when the properties bean is created, so that the
     * first bean needing them (in a servlet application the web server's filter, before any other) fails with
     * the property's name rather than with a constructor's assertion.
     * @throws org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException
     * naming the first invalid property
     */
    @Override
    public void afterPropertiesSet() {
        IdempotencyPropertiesValidator.validate(this);
    }

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getHeaderName() {
        return this.headerName;
    }

    public void setHeaderName(String headerName) {
        this.headerName = headerName;
    }

    public Duration getTtl() {
        return this.ttl;
    }

    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    public Duration getLease() {
        return this.lease;
    }

    public void setLease(Duration lease) {
        this.lease = lease;
    }

    public ExpiredLeasePolicy getExpiredLeasePolicy() {
        return this.expiredLeasePolicy;
    }

    public void setExpiredLeasePolicy(ExpiredLeasePolicy expiredLeasePolicy) {
        this.expiredLeasePolicy = expiredLeasePolicy;
    }

    public Duration getInProgressRetryAfter() {
        return this.inProgressRetryAfter;
    }

    public void setInProgressRetryAfter(Duration inProgressRetryAfter) {
        this.inProgressRetryAfter = inProgressRetryAfter;
    }

    public DataSize getMaxResponseSize() {
        return this.maxResponseSize;
    }

    public void setMaxResponseSize(DataSize maxResponseSize) {
        this.maxResponseSize = maxResponseSize;
    }

    public DataSize getMaxRequestSize() {
        return this.maxRequestSize;
    }

    public void setMaxRequestSize(DataSize maxRequestSize) {
        this.maxRequestSize = maxRequestSize;
    }

    public IdempotencyScope getScope() {
        return this.scope;
    }

    public void setScope(IdempotencyScope scope) {
        this.scope = scope;
    }

    public int getMaxKeyLength() {
        return this.maxKeyLength;
    }

    public void setMaxKeyLength(int maxKeyLength) {
        this.maxKeyLength = maxKeyLength;
    }

    public Store getStore() {
        return this.store;
    }

    public ResponseHeaders getResponseHeaders() {
        return this.responseHeaders;
    }

    public Jdbc getJdbc() {
        return this.jdbc;
    }

    public Redis getRedis() {
        return this.redis;
    }

    public Memory getMemory() {
        return this.memory;
    }

    /**
     * Which store keeps the records, and what happens when it fails.
     */
    public static class Store {

        /**
         * Store type. Chosen automatically when unset: Redis if a RedisConnectionFactory exists, else JDBC if a
         * DataSource exists, else in-memory.
         */
        private StoreType type;

        /**
         * What an idempotent endpoint does when the store cannot be reached or times out.
         */
        private FailureMode failureMode = FailureMode.FAIL_CLOSED;

        /**
         * Statement timeout of the JDBC store, rounded up to whole seconds; the transactional mode waits at most
         * half of it for a concurrent claim. The pool and the driver bound connecting and stalled sockets, and
         * spring.data.redis.timeout bounds the Redis store.
         */
        private Duration timeout = Duration.ofSeconds(2);

        public StoreType getType() {
            return this.type;
        }

        public void setType(StoreType type) {
            this.type = type;
        }

        public FailureMode getFailureMode() {
            return this.failureMode;
        }

        public void setFailureMode(FailureMode failureMode) {
            this.failureMode = failureMode;
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /**
     * Which response headers are recorded and replayed. Hop-by-hop and per-connection headers (Connection,
     * Keep-Alive, Transfer-Encoding, Content-Length, Date, ...) are never recorded.
     */
    public static class ResponseHeaders {

        /**
         * Response headers never recorded, case-insensitive.
         */
        private List<String> exclude = new ArrayList<>(List.of("Set-Cookie"));

        /**
         * Response headers recorded, case-insensitive. When empty, every header not excluded is recorded.
         */
        private List<String> include = new ArrayList<>();

        public List<String> getExclude() {
            return this.exclude;
        }

        public void setExclude(List<String> exclude) {
            this.exclude = exclude;
        }

        public List<String> getInclude() {
            return this.include;
        }

        public void setInclude(List<String> include) {
            this.include = include;
        }
    }

    /**
     * JDBC store settings.
     */
    public static class Jdbc {

        /**
         * Name of the table holding the records.
         */
        private String tableName = "idempotency_record";

        /**
         * When to create the table from the schema script shipped for the database.
         */
        private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

        /**
         * How often expired records are deleted. Zero or negative disables the purge.
         */
        private Duration purgeInterval = Duration.ofMinutes(5);

        /**
         * Most rows deleted by one purge statement, so a purge never holds long locks.
         */
        private int purgeBatchSize = 1000;

        /**
         * Whether every idempotent endpoint runs in the transactional mode: the claim, the handler's
         * transactional work and the recorded response commit or roll back together. Requires a transaction
         * manager of the store's DataSource. A concurrent duplicate waits for the first request's transaction
         * for at most half of idempotency.store.timeout.
         */
        private boolean transactional;

        /**
         * How a new claim commits on PostgreSQL outside a transaction: SYNC flushes it to disk before the
         * handler runs; ASYNC makes it visible to every instance at once but durable only with the next flush
         * (the completion's at the latest), saving one flush per first request.
         */
        private ClaimCommit claimCommit = ClaimCommit.SYNC;

        public ClaimCommit getClaimCommit() {
            return this.claimCommit;
        }

        public void setClaimCommit(ClaimCommit claimCommit) {
            this.claimCommit = claimCommit;
        }

        public String getTableName() {
            return this.tableName;
        }

        public void setTableName(String tableName) {
            this.tableName = tableName;
        }

        public DatabaseInitializationMode getInitializeSchema() {
            return this.initializeSchema;
        }

        public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
            this.initializeSchema = initializeSchema;
        }

        public Duration getPurgeInterval() {
            return this.purgeInterval;
        }

        public void setPurgeInterval(Duration purgeInterval) {
            this.purgeInterval = purgeInterval;
        }

        public boolean isTransactional() {
            return this.transactional;
        }

        public void setTransactional(boolean transactional) {
            this.transactional = transactional;
        }

        public int getPurgeBatchSize() {
            return this.purgeBatchSize;
        }

        public void setPurgeBatchSize(int purgeBatchSize) {
            this.purgeBatchSize = purgeBatchSize;
        }
    }

    /**
     * Redis store settings.
     */
    public static class Redis {

        /**
         * Prefix of every Redis key the store writes.
         */
        private String keyPrefix = "idempotency:";

        public String getKeyPrefix() {
            return this.keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }
    }

    /**
     * In-memory store settings.
     */
    public static class Memory {

        /**
         * Most records held. When full, expired records are dropped first, then the oldest completed ones are
         * evicted (a retry with an evicted key runs again); new keys fail only when every record is in
         * progress.
         */
        private int maxEntries = 10000;

        public int getMaxEntries() {
            return this.maxEntries;
        }

        public void setMaxEntries(int maxEntries) {
            this.maxEntries = maxEntries;
        }
    }

    /**
     * Store types.
     */
    public enum StoreType {

        /** Redis, through Spring Data Redis. */
        REDIS,

        /** A relational database, through JdbcTemplate. */
        JDBC,

        /** A map in this process: tests and single-instance use only. */
        MEMORY
    }

    /**
     * What to do when the store cannot be reached.
     */
    public enum FailureMode {

        /** Answer 503 Service Unavailable and do not run the handler. */
        FAIL_CLOSED,

        /**
         * Run the handler or method unprotected; the outage is logged once, then counted (each call's key at
         * debug level).
         */
        FAIL_OPEN
    }
}
