package io.github.idempotency.bench;

import io.github.idempotency.IdempotencyStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Instruments the beans through which the application reaches its store, for the {@link BenchCounters}:
 * <ul>
 * <li>the {@link DataSource}, so that every statement execution, commit and rollback counts as one store
 * round trip: with the PostgreSQL driver each is one exchange with the server (a prepared statement's
 * parse, bind and execute go out together). The pool's own checks are not counted; Hikari skips them for
 * connections used within the last half second, as under load;</li>
 * <li>the starter's {@link IdempotencyStore}, so that the time a request spends in its calls can be set
 * against the floor's loop. The proxy subclasses the store, so that beans asking for its own type (the JDBC
 * store's transactions and purger) still get it; it costs two clock reads per call.</li>
 * </ul>
 */
class StoreInstrumentingPostProcessor implements BeanPostProcessor, BeanFactoryAware {

    /** The methods of the store SPI, which the stores do not overload. */
    private static final Set<String> STORE_CALLS = Arrays.stream(IdempotencyStore.class.getMethods())
            .map(Method::getName)
            .collect(Collectors.toUnmodifiableSet());

    private BeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof DataSource) && !(bean instanceof IdempotencyStore)) {
            return bean;
        }
        // Looked up late: a static post processor must not pull in beans while it is created.
        BenchCounters counters = this.beanFactory.getBean(BenchCounters.class);
        return (bean instanceof DataSource dataSource)
                ? proxy(DataSource.class, dataSource, counters)
                : timed(bean, counters);
    }

    private static Object timed(Object store, BenchCounters counters) {
        ProxyFactory proxyFactory = new ProxyFactory(store);
        proxyFactory.setProxyTargetClass(true);
        proxyFactory.addAdvice((MethodInterceptor) (invocation) -> {
            // Only the calls a request makes: the store's own setters are not store time.
            if (!STORE_CALLS.contains(invocation.getMethod().getName())) {
                return invocation.proceed();
            }
            long start = System.nanoTime();
            try {
                return invocation.proceed();
            } finally {
                counters.storeCall(System.nanoTime() - start);
            }
        });
        return proxyFactory.getProxy(store.getClass().getClassLoader());
    }

    private static Object proxy(Class<?> type, Object target, BenchCounters counters) {
        InvocationHandler handler = (instance, method, args) -> {
            if (countsAsRoundTrip(method)) {
                counters.roundTrip();
                if (method.getName().equals("commit")) {
                    counters.commit();
                }
            }
            Object result = invoke(method, target, args);
            Class<?> returned = method.getReturnType();
            // Connections and statements handed out are wrapped too, so that their executions are seen.
            if (result != null && (returned == Connection.class || Statement.class.isAssignableFrom(returned))) {
                return proxy(returned, result, counters);
            }
            return result;
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static boolean countsAsRoundTrip(Method method) {
        String name = method.getName();
        return (Statement.class.isAssignableFrom(method.getDeclaringClass()) && name.startsWith("execute"))
                || (method.getDeclaringClass() == Connection.class
                        && (name.equals("commit") || name.equals("rollback")));
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException ex) {
            throw ex.getTargetException();
        }
    }
}
