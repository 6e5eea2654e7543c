package io.github.idempotency.aop;

import io.github.idempotency.IdempotencyInProgressException;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyKeyReusedException;
import io.github.idempotency.IdempotencyStoreUnavailableException;
import io.github.idempotency.InProgressPolicy;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.engine.Admission;
import io.github.idempotency.engine.Execution;
import io.github.idempotency.engine.IdempotencyEngine;
import io.github.idempotency.engine.IdempotencyOutcome;
import io.github.idempotency.engine.IdempotentOperation;
import java.time.Duration;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;

/**
 * Runs an {@code @Idempotent} bean method at most once per key: claims the key through the
 * {@link IdempotencyEngine}, runs the method, records its return value, and gives later calls with the
 * same key the recorded value instead of running it again. A method that throws releases its key, so a
 * redelivered message runs it again. Inside a Spring transaction that the claim did not join, the value is
 * recorded once that transaction commits, and the key released if it rolls back.
 */
class IdempotentMethodInterceptor implements MethodInterceptor {

    private static final Duration FIRST_POLL = Duration.ofMillis(50);

    private static final Duration LONGEST_POLL = Duration.ofSeconds(1);

    private final IdempotentMethodSource methods;

    private final IdempotencyKeyEvaluator evaluator = new IdempotencyKeyEvaluator();

    private final ReturnValueCodec codec;

    private final Supplier<IdempotencyEngine> engine;

    private final Supplier<IdempotentMethodSettings> settings;

    /**
     * Creates an interceptor whose collaborators are looked up on first use, so that the post-processor that
     * holds it does not create the store's beans early.
     */
    IdempotentMethodInterceptor(
            IdempotentMethodSource methods,
            ReturnValueCodec codec,
            Supplier<IdempotencyEngine> engine,
            Supplier<IdempotentMethodSettings> settings) {
        this.methods = methods;
        this.codec = codec;
        this.engine = engine;
        this.settings = settings;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Class<?> targetClass = (target != null)
                ? AopUtils.getTargetClass(target)
                : invocation.getMethod().getDeclaringClass();
        IdempotentMethod method = this.methods.find(invocation.getMethod(), targetClass);
        if (method == null) {
            return invocation.proceed();
        }
        Object[] arguments = invocation.getArguments();
        IdempotencyEngine engine = this.engine.get();
        String key;
        String fingerprint;
        try {
            key = this.evaluator.key(method, target, arguments);
            fingerprint = (method.fingerprint() != null)
                    ? this.codec.fingerprint(this.evaluator.fingerprintValue(method, target, arguments))
                    : ReturnValueCodec.noFingerprint();
        } catch (IllegalArgumentException ex) {
            engine.reject(method.name());
            throw ex;
        }
        IdempotentMethodSettings settings = this.settings.get();
        IdempotentOperation operation = new IdempotentOperation(
                method.name(),
                new IdempotencyKey(method.scope(), key),
                fingerprint,
                (method.ttl() != null) ? method.ttl() : settings.ttl(),
                method.transactional());
        CallerTransaction.Pending pending = CallerTransaction.pendingOutcome(operation.key());
        if (pending != null) {
            // Called again within the transaction that ran it: its key is in progress until that commits.
            if (!pending.fingerprint().equals(fingerprint)) {
                engine.report(method.name(), IdempotencyOutcome.KEY_REUSED);
                throw keyReused(method, key);
            }
            engine.report(method.name(), IdempotencyOutcome.REPLAYED);
            return this.codec.decode(method, pending.outcome());
        }
        long deadline =
                System.nanoTime() + ((method.maxWait() != null) ? method.maxWait() : settings.lease()).toNanos();
        Duration poll = FIRST_POLL;
        while (true) {
            Admission admission = engine.admit(operation);
            if (admission instanceof Admission.Proceed proceed) {
                return run(invocation, method, proceed.execution());
            }
            if (admission instanceof Admission.Replay replay) {
                return this.codec.decode(method, replay.response());
            }
            if (admission instanceof Admission.Unprotected) {
                return invocation.proceed();
            }
            if (admission instanceof Admission.KeyReused) {
                throw keyReused(method, key);
            }
            if (admission instanceof Admission.StoreUnavailable unavailable) {
                throw new IdempotencyStoreUnavailableException(
                        method.name() + " with key '" + key + "' was not run: its key cannot be checked right now",
                        unavailable.cause());
            }
            Duration retryAfter = ((Admission.InProgress) admission).retryAfter();
            if (method.onInProgress() != InProgressPolicy.WAIT || !pause(poll, deadline)) {
                throw new IdempotencyInProgressException(
                        method.name() + " with key '" + key + "' is still running in another call; retry later",
                        retryAfter);
            }
            poll = (poll.compareTo(LONGEST_POLL.dividedBy(2)) > 0) ? LONGEST_POLL : poll.multipliedBy(2);
        }
    }

    private static IdempotencyKeyReusedException keyReused(IdempotentMethod method, String key) {
        return new IdempotencyKeyReusedException("Key '" + key + "' of " + method.name()
                + " was already used with a different fingerprint"
                + ((method.fingerprint() != null)
                        ? " (@Idempotent(fingerprint = \""
                                + method.fingerprint().getExpressionString() + "\"))"
                        : " (another method of the same name compares them)"));
    }

    private Object run(MethodInvocation invocation, IdempotentMethod method, Execution execution) throws Throwable {
        Object value;
        try {
            value = invocation.proceed();
        } catch (Throwable ex) {
            execution.abandon();
            throw ex;
        }
        StoredResponse recorded;
        try {
            recorded = this.codec.encode(method, value);
        } catch (Throwable ex) {
            // Whatever keeps the value from being recorded (it cannot be written as JSON, a getter fails, no
            // memory): the key must not stay claimed, and renewed, for as long as this JVM lives.
            execution.abandon();
            throw ex;
        }
        if (!execution.isTransactional() && CallerTransaction.endWithTransaction(execution, recorded)) {
            execution.leaveLogContext();
            return value;
        }
        if (execution.isRollbackOnly()) {
            // Work inside the method's transaction failed and was caught: its writes roll back, so its value
            // must not be recorded as done, or every redelivery would replay work that never happened.
            execution.abandon();
            throw new IllegalStateException(
                    method.name() + " with key '" + execution.operation().key().key()
                            + "' returned, but its transaction was marked rollback-only by work inside it: nothing was"
                            + " committed or recorded, so a redelivery runs it again");
        }
        if (!execution.complete(recorded)) {
            throw new IdempotencyStoreUnavailableException(
                    method.name() + " with key '" + execution.operation().key().key()
                            + "' had its outcome rolled back: it could not be recorded in its transaction",
                    null);
        }
        return value;
    }

    /**
     * Waits before the next poll of the store.
     * @return {@code false} if the deadline passes first or the thread is interrupted
     */
    private static boolean pause(Duration poll, long deadline) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return false;
        }
        try {
            Thread.sleep(Math.max(1, Math.min(poll.toMillis(), remaining / 1_000_000)));
            return true;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
