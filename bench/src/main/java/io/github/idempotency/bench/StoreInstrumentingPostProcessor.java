package io.github.idempotency.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps the application's {@link DataSource} so that every statement execution, commit and rollback counts
 * as one store round trip: with the PostgreSQL driver each is one exchange with the server (a prepared
 * statement's parse, bind and execute go out together). The pool's own checks are not counted; Hikari
 * skips them for connections used within the last half second, as under load.
 */
class RoundTripCountingPostProcessor implements BeanPostProcessor, BeanFactoryAware {

    private BeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource) {
            // Looked up late: a static post processor must not pull in beans while it is created.
            BenchCounters counters = this.beanFactory.getBean(BenchCounters.class);
            return proxy(DataSource.class, dataSource, counters);
        }
        return bean;
    }

    private static Object proxy(Class<?> type, Object target, BenchCounters counters) {
        InvocationHandler handler = (instance, method, args) -> {
            if (countsAsRoundTrip(method)) {
                counters.roundTrip();
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
