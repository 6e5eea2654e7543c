package io.github.idempotency.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.testsupport.RedisServerProcess;
import io.github.idempotency.testsupport.RedisTestServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * What the Redis store does when Redis is not there: a closed port, and a {@code redis-server} that this
 * test starts, kills and starts again on the same port. Every failure must be an
 * {@link IdempotencyStoreException} within the client's timeouts, never a hang, and the same store must
 * work again once Redis is back.
 */
class RedisIdempotencyStoreOutageIT {

    /** What a failing call may take: a connect or command timeout, and time to spare on a slow machine. */
    private static final Duration FAILURE_BOUND = RedisTestServer.CONNECT_TIMEOUT
            .plus(RedisTestServer.COMMAND_TIMEOUT)
            .plusSeconds(3);

    /** How long the client may take to reconnect by itself after Redis is back. */
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration LEASE = Duration.ofSeconds(30);

    private static final String FINGERPRINT = "fingerprint";

    private LettuceConnectionFactory connectionFactory;

    private RedisServerProcess server;

    @AfterEach
    void stop() {
        if (this.connectionFactory != null) {
            this.connectionFactory.destroy();
        }
        if (this.server != null) {
            this.server.close();
        }
    }

    @Test
    void claimWhenRedisPortIsClosedThenThrowsStoreExceptionPromptly() {
        RedisIdempotencyStore store = storeAt(closedPort());

        assertFailsPromptly(() -> store.claim(newKey(), FINGERPRINT, LEASE), "could not claim");
    }

    @Test
    void writesWhenRedisPortIsClosedThenThrowStoreExceptionSayingWhatFailed() {
        RedisIdempotencyStore store = storeAt(closedPort());
        ClaimToken token = ClaimToken.random();
        StoredResponse response = new StoredResponse(200, List.of(), new byte[0], false);

        assertFailsPromptly(() -> store.complete(newKey(), token, response, Duration.ofHours(1)), "could not complete");
        assertFailsPromptly(() -> store.release(newKey(), token), "could not release");
        assertFailsPromptly(() -> store.renew(newKey(), token, LEASE), "could not renew");
    }

    @Test
    void claimWhenRedisServerIsKilledThenThrowsStoreExceptionPromptly() throws Exception {
        this.server = RedisServerProcess.start();
        RedisIdempotencyStore store = storeAt(this.server.configuration());
        assertThat(store.claim(newKey(), FINGERPRINT, LEASE)).isInstanceOf(ClaimResult.Claimed.class);

        this.server.kill();

        assertFailsPromptly(() -> store.claim(newKey(), FINGERPRINT, LEASE), "could not claim");
    }

    @Test
    void claimWhenRedisServerIsRestartedThenSameStoreClaimsAgain() throws Exception {
        this.server = RedisServerProcess.start();
        RedisIdempotencyStore store = storeAt(this.server.configuration());
        IdempotencyKey key = newKey();
        assertThat(store.claim(key, FINGERPRINT, LEASE)).isInstanceOf(ClaimResult.Claimed.class);
        this.server.kill();
        assertFailsPromptly(() -> store.claim(newKey(), FINGERPRINT, LEASE), "could not claim");

        this.server.restart();

        // The restarted server is empty (no persistence), so the key claimed before the outage is new again.
        assertThat(awaitClaim(store, key)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(store.claim(key, FINGERPRINT, LEASE)).isInstanceOf(ClaimResult.InProgress.class);
    }

    private RedisIdempotencyStore storeAt(RedisStandaloneConfiguration configuration) {
        this.connectionFactory = RedisTestServer.connectionFactory(configuration);
        return new RedisIdempotencyStore(
                this.connectionFactory, "idempotency-outage:", ExpiredLeasePolicy.TAKE_OVER, Duration.ofHours(1));
    }

    private static RedisStandaloneConfiguration closedPort() {
        return new RedisStandaloneConfiguration("127.0.0.1", RedisServerProcess.freePort());
    }

    private static void assertFailsPromptly(Runnable operation, String message) {
        assertTimeoutPreemptively(
                FAILURE_BOUND,
                () -> assertThatExceptionOfType(IdempotencyStoreException.class)
                        .isThrownBy(operation::run)
                        .withMessageContaining("Redis idempotency store " + message));
    }

    /** Claims until the client has reconnected by itself; only store exceptions are expected meanwhile. */
    private static ClaimResult awaitClaim(RedisIdempotencyStore store, IdempotencyKey key) {
        long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        while (true) {
            try {
                return store.claim(key, FINGERPRINT, LEASE);
            } catch (IdempotencyStoreException notYet) {
                if (System.nanoTime() > deadline) {
                    fail("Redis store did not recover within " + RECOVERY_TIMEOUT, notYet);
                }
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
    }

    private static IdempotencyKey newKey() {
        return new IdempotencyKey("outage", "key-" + UUID.randomUUID());
    }
}
