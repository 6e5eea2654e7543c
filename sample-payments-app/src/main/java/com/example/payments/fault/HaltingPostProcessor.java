package com.example.payments.fault;

import com.example.payments.events.PaymentSucceeded;
import com.example.payments.events.PaymentSucceededConsumer;
import com.example.payments.payment.Payment;
import com.example.payments.payment.PaymentService;
import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyStore;
import jakarta.persistence.EntityManagerFactory;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Wraps the beans through which a payment request or a payment event passes its {@link HaltPoint}, and halts
 * the JVM there.
 */
final class HaltingPostProcessor implements BeanPostProcessor {

    private static final Log logger = LogFactory.getLog(HaltingPostProcessor.class);

    // The sample keeps the starter's default header name.
    private static final String KEY_HEADER = "Idempotency-Key";

    private final HaltPoint point;

    private final String keyPrefix;

    private final ObjectProvider<EntityManagerFactory> entityManagerFactory;

    HaltingPostProcessor(HaltPoint point, String keyPrefix, ObjectProvider<EntityManagerFactory> entityManagerFactory) {
        this.point = point;
        this.keyPrefix = keyPrefix;
        this.entityManagerFactory = entityManagerFactory;
        logger.warn("Fault injection is on: the JVM halts when "
                + ((point == HaltPoint.AFTER_EVENT_CONSUMED)
                        ? "the ledger has consumed a payment event"
                        : "a payment request"
                                + (keyPrefix.isEmpty() ? "" : " whose idempotency key starts with '" + keyPrefix + "'")
                                + " reaches " + point));
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof IdempotencyStore
                && (this.point == HaltPoint.BEFORE_HANDLER || this.point == HaltPoint.AFTER_RESPONSE_RECORDED)) {
            // A subclass proxy: the JDBC store is also injected by its class (into the transactional mode).
            return wrap(bean, this::afterStoreCall);
        }
        // Around the service's proxy, so that the transaction in which it saves a payment and its event has
        // committed (in the lease mode) when create returns.
        if (bean instanceof PaymentService && this.point == HaltPoint.AFTER_PAYMENT_COMMITTED) {
            return wrap(bean, this::afterPaymentServiceCall);
        }
        // Around the consumer's proxy (this post-processor comes after the ordered ones that advise it), so that
        // the consumer's transaction has committed and its idempotency record is written when it returns.
        if (bean instanceof PaymentSucceededConsumer && this.point == HaltPoint.AFTER_EVENT_CONSUMED) {
            return wrap(bean, this::afterConsumerCall);
        }
        return bean;
    }

    private static Object wrap(Object bean, MethodInterceptor interceptor) {
        ProxyFactory factory = new ProxyFactory(bean);
        factory.setProxyTargetClass(true);
        factory.addAdvice(interceptor);
        return factory.getProxy(bean.getClass().getClassLoader());
    }

    private Object afterStoreCall(MethodInvocation invocation) throws Throwable {
        Object result = invocation.proceed();
        if (!isMarked()) {
            return result;
        }
        String method = invocation.getMethod().getName();
        String key =
                (invocation.getArguments()[0] instanceof IdempotencyKey idempotencyKey) ? idempotencyKey.key() : "?";
        if (this.point == HaltPoint.BEFORE_HANDLER && method.equals("claim") && result instanceof ClaimResult.Claimed) {
            JvmHalter.halt(this.point, "key " + key + " claimed");
        }
        if (this.point == HaltPoint.AFTER_RESPONSE_RECORDED
                && method.equals("complete")
                && Boolean.TRUE.equals(result)) {
            haltOnceCommitted("response to key " + key + " recorded");
        }
        return result;
    }

    private Object afterPaymentServiceCall(MethodInvocation invocation) throws Throwable {
        Object result = invocation.proceed();
        if (invocation.getMethod().getName().equals("create") && result instanceof Payment payment && isMarked()) {
            String state = "committed";
            if (TransactionSynchronizationManager.isActualTransactionActive()) {
                // The save joined the request's transaction (the transactional mode). Flushing sends the INSERT,
                // so that the database holds an uncommitted payment when the JVM dies, rather than Hibernate
                // holding one it had not written yet.
                EntityManagerFactoryUtils.getTransactionalEntityManager(this.entityManagerFactory.getObject())
                        .flush();
                state = "written, its transaction still open";
            }
            JvmHalter.halt(this.point, "payment " + payment.getId() + " " + state);
        }
        return result;
    }

    private Object afterConsumerCall(MethodInvocation invocation) throws Throwable {
        Object result = invocation.proceed();
        if (invocation.getArguments().length == 1 && invocation.getArguments()[0] instanceof PaymentSucceeded event) {
            JvmHalter.halt(this.point, "event " + event.eventId() + " consumed");
        }
        return result;
    }

    // Only payment requests halt at the request's points: the ledger consumer's calls of the store, outside
    // any request, do not.
    private boolean isMarked() {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request)) {
            return false;
        }
        String key = request.getRequest().getHeader(KEY_HEADER);
        return this.keyPrefix.isEmpty() || (key != null && key.startsWith(this.keyPrefix));
    }

    // In the transactional mode complete() writes the record inside the request's transaction, which commits
    // only after complete() returns: halting now would test a rollback, not a recorded response.
    private void haltOnceCommitted(String detail) {
        if (TransactionSynchronizationManager.isSynchronizationActive()
                && TransactionSynchronizationManager.isActualTransactionActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    JvmHalter.halt(HaltingPostProcessor.this.point, detail + " and committed");
                }
            });
        } else {
            JvmHalter.halt(this.point, detail);
        }
    }
}
