package io.github.idempotency.aop;

import io.github.idempotency.engine.IdempotencyEngine;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.SmartInitializingSingleton;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies {@code @Idempotent} to the methods of Spring beans that are not Spring MVC handlers, with a Spring
 * AOP advisor added to each such bean's proxy, in the manner of Spring's own {@code @Retryable} and
 * {@code @Async} post-processors: no AspectJ, and no auto-proxy configuration of the application's own.
 *
 * <p>The advisor goes after the bean's existing advisors, so it runs inside a {@code @Transactional}
 * method's transaction, where the claim and the record join the method's own writes. Each advised bean's
 * annotations are checked as it is created, and the transactional ones once all beans exist, so that a
 * mistake fails startup naming the method.
 */
public class IdempotentMethodPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor
        implements SmartInitializingSingleton {

    private final IdempotentMethodSource methods = new IdempotentMethodSource();

    private final Supplier<IdempotencyEngine> engine;

    private final Set<IdempotentMethod> transactionalMethods = ConcurrentHashMap.newKeySet();

    /**
     * Creates a post-processor. Its collaborators are looked up when a method is first called, so that
     * creating it early, as every post-processor is, creates no store.
     * @param engine supplies the engine that claims keys
     * @param mapper supplies the JSON mapper that records return values
     * @param settings supplies the application's settings
     */
    public IdempotentMethodPostProcessor(
            Supplier<IdempotencyEngine> engine,
            Supplier<JsonMapper> mapper,
            Supplier<IdempotentMethodSettings> settings) {
        this.engine = engine;
        IdempotentMethodInterceptor interceptor =
                new IdempotentMethodInterceptor(this.methods, new ReturnValueCodec(mapper), engine, settings);
        this.advisor = new DefaultPointcutAdvisor(new IdempotentMethodPointcut(), interceptor);
        setBeforeExistingAdvisors(false);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        this.methods.checkType(targetClass);
        if (isEligible(bean, beanName)) {
            for (IdempotentMethod idempotent : this.methods.check(targetClass)) {
                if (idempotent.transactional()) {
                    this.transactionalMethods.add(idempotent);
                }
            }
        }
        return super.postProcessAfterInitialization(bean, beanName);
    }

    /**
     * Fails startup when a method asks for {@code @Idempotent(transactional = true)} and the store cannot
     * give it a transaction.
     */
    @Override
    public void afterSingletonsInstantiated() {
        if (this.transactionalMethods.isEmpty() || this.engine.get().supportsTransactions()) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (IdempotentMethod method : this.transactionalMethods) {
            names.add(method.name());
        }
        names.sort(null);
        throw new IllegalStateException("@Idempotent(transactional = true) on " + String.join(", ", names)
                + " needs the JDBC store on the database that the application's transaction manager manages, so"
                + " that the claim, the method's writes and the recorded outcome commit together");
    }

    /**
     * Matches the idempotent methods of any class.
     */
    private static final class IdempotentMethodPointcut extends StaticMethodMatcherPointcut {

        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            return IdempotentMethodSource.isIdempotentMethod(method, targetClass);
        }
    }
}
