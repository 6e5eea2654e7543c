package io.github.idempotency.aop;

import io.github.idempotency.IdempotencyScope;
import io.github.idempotency.Idempotent;
import io.github.idempotency.KeySource;
import io.github.idempotency.engine.AnnotationDurations;
import io.github.idempotency.engine.IncompleteReturnTypes;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.BaseStream;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.GenericTypeResolver;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Reads the {@link Idempotent} annotation of bean methods once per method and bean class, in the manner of
 * the cache abstraction's annotation operation source: the expressions are parsed and the attributes
 * checked when the bean is created, so that a mistake fails startup naming the method instead of failing
 * each call.
 *
 * <p>Spring MVC handler methods are not its concern: the servlet front door handles them, with the
 * request's key and the response as the outcome, so they are never advised twice.
 */
class IdempotentMethodSource {

    private static final String CONTROLLER = "org.springframework.stereotype.Controller";

    private static final String REQUEST_MAPPING = "org.springframework.web.bind.annotation.RequestMapping";

    /** Return types whose value is not there when the method returns, or can be read only once. */
    private static final List<Class<?>> UNRECORDABLE_TYPES = List.of(BaseStream.class, java.util.Iterator.class);

    /** Variables that every call has, whether or not its parameters' names are known. */
    private static final Pattern ALWAYS_DEFINED = Pattern.compile("root|this|[pa]\\d+");

    private final SpelExpressionParser parser = new SpelExpressionParser();

    private final ParameterNameDiscoverer parameterNames;

    private final Map<MethodKey, Optional<IdempotentMethod>> cache = new ConcurrentHashMap<>();

    IdempotentMethodSource() {
        this(IdempotencyKeyEvaluator.PARAMETER_NAMES);
    }

    /**
     * Creates a source that learns the methods' parameter names as the key expressions will at run time.
     * @param parameterNames what discovers them
     */
    IdempotentMethodSource(ParameterNameDiscoverer parameterNames) {
        this.parameterNames = parameterNames;
    }

    /**
     * Returns whether a method of a bean class is an idempotent bean method: annotated, and not a Spring MVC
     * handler method.
     */
    static boolean isIdempotentMethod(Method method, Class<?> targetClass) {
        Method specific = specificMethod(method, targetClass);
        return AnnotatedElementUtils.hasAnnotation(specific, Idempotent.class)
                && !isHandlerMethod(specific, targetClass);
    }

    /**
     * Returns the idempotent method that a call of {@code method} on an instance of {@code targetClass} runs.
     * @return the method's description, or {@code null} if it is not an idempotent bean method
     * @throws IllegalStateException if its annotation cannot work, naming the method and the reason
     */
    IdempotentMethod find(Method method, Class<?> targetClass) {
        return this.cache
                .computeIfAbsent(
                        new MethodKey(method, targetClass), (key) -> Optional.ofNullable(read(method, targetClass)))
                .orElse(null);
    }

    /**
     * Checks that a bean class is annotated only where the annotation works: on a type, it applies to Spring
     * MVC controllers alone, so elsewhere it would protect nothing.
     * @throws IllegalStateException if a type that is not a controller is annotated
     */
    void checkType(Class<?> targetClass) {
        if (AnnotatedElementUtils.hasAnnotation(targetClass, Idempotent.class) && !isController(targetClass)) {
            throw new IllegalStateException("@Idempotent on type " + targetClass.getName()
                    + " applies to Spring MVC controllers only; annotate the methods of a bean that is not one,"
                    + " each with its key expression");
        }
    }

    /**
     * Checks every idempotent method of a bean class, whatever its visibility, so that a mistake fails the
     * bean's creation.
     * @return the class's idempotent methods
     * @throws IllegalStateException naming the first method that cannot work
     */
    List<IdempotentMethod> check(Class<?> targetClass) {
        List<IdempotentMethod> found = new ArrayList<>();
        for (Method method :
                ReflectionUtils.getUniqueDeclaredMethods(targetClass, ReflectionUtils.USER_DECLARED_METHODS)) {
            if (isIdempotentMethod(method, targetClass)) {
                checkInterceptable(specificMethod(method, targetClass), targetClass);
                found.add(find(method, targetClass));
            }
        }
        return found;
    }

    /**
     * Fails for a method that the bean's proxy cannot intercept, where the annotation would silently protect
     * nothing.
     */
    private static void checkInterceptable(Method method, Class<?> targetClass) {
        int modifiers = method.getModifiers();
        String kind = Modifier.isPrivate(modifiers)
                ? "private"
                : Modifier.isStatic(modifiers) ? "static" : Modifier.isFinal(modifiers) ? "final" : null;
        if (kind != null) {
            throw invalid(
                    describe(method, targetClass),
                    "is " + kind + ": the bean's proxy cannot intercept it, so the annotation would protect"
                            + " nothing. Make it public (or protected) and neither static nor final, and call it"
                            + " on the bean from another bean; a call from the bean's own methods (this.method())"
                            + " does not go through the proxy either");
        }
    }

    private IdempotentMethod read(Method method, Class<?> targetClass) {
        if (!isIdempotentMethod(method, targetClass)) {
            return null;
        }
        Method specific = specificMethod(method, targetClass);
        Idempotent idempotent = AnnotatedElementUtils.findMergedAnnotation(specific, Idempotent.class);
        String description = describe(specific, targetClass);
        if (idempotent.keySource() == KeySource.PAYLOAD) {
            throw invalid(
                    description,
                    "has keySource = PAYLOAD, which derives the key from an HTTP request; a bean method's key is"
                            + " its key expression over the arguments");
        }
        if (idempotent.key().isBlank()) {
            throw invalid(
                    description,
                    "has no key: declare one with @Idempotent(key = \"...\"), a SpEL expression over the"
                            + " method's arguments such as \"#event.id\" or \"#p0\"");
        }
        if (idempotent.scope() != IdempotencyScope.DEFAULT && idempotent.scope() != IdempotencyScope.GLOBAL) {
            throw invalid(
                    description,
                    "has scope " + idempotent.scope() + ", which needs an HTTP request; a bean method's keys are"
                            + " scoped to the method, to @Idempotent(name = \"...\"), or GLOBAL");
        }
        // Type variables resolved against the bean's class, so that a method declared in a generic base class
        // returns what the concrete class binds them to, also when the record is read back.
        ResolvableType returnType =
                ResolvableType.forType(GenericTypeResolver.resolveType(specific.getGenericReturnType(), targetClass));
        Class<?> unrecordable = unrecordableType(returnType.toClass());
        if (unrecordable != null) {
            throw invalid(
                    description,
                    "returns " + unrecordable.getSimpleName() + ", whose value is not complete when the method"
                            + " returns, so it cannot be recorded and returned to later calls; return the value"
                            + " itself, or remove @Idempotent");
        }
        Expression key = parse(idempotent.key(), "key", description);
        Expression fingerprint =
                idempotent.fingerprint().isBlank() ? null : parse(idempotent.fingerprint(), "fingerprint", description);
        checkParameterNames(specific, description, key, fingerprint);
        return new IdempotentMethod(
                specific,
                description,
                IdempotentMethod.SCOPE_PREFIX
                        + (idempotent.scope() == IdempotencyScope.GLOBAL
                                ? ""
                                : (idempotent.name().isBlank() ? description : idempotent.name())),
                key,
                fingerprint,
                duration(idempotent.ttl(), "ttl", description),
                idempotent.onInProgress(),
                duration(idempotent.maxWait(), "maxWait", description),
                returnType,
                idempotent.transactional());
    }

    /**
     * Fails for an expression that reads a parameter by name where the names are not known at run time (the
     * code was compiled without {@code -parameters}): it would read {@code null} on every call.
     */
    private void checkParameterNames(Method method, String description, Expression... expressions) {
        if (method.getParameterCount() == 0 || this.parameterNames.getParameterNames(method) != null) {
            return;
        }
        for (Expression expression : expressions) {
            String name = (expression instanceof SpelExpression spel) ? namedVariable(spel.getAST()) : null;
            if (name != null) {
                throw invalid(
                        description,
                        "reads #" + name + " in \"" + expression.getExpressionString() + "\", but the names of its"
                                + " parameters are not known at run time (the class was compiled without"
                                + " -parameters, which Spring Boot's Maven and Gradle plugins add), so it would be"
                                + " null on every call; compile with -parameters, or read the argument by its"
                                + " position: #p0 is the first");
            }
        }
    }

    private static String namedVariable(SpelNode node) {
        if (node instanceof VariableReference) {
            String name = node.toStringAST().substring(1);
            if (!ALWAYS_DEFINED.matcher(name).matches()) {
                return name;
            }
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            String name = namedVariable(node.getChild(i));
            if (name != null) {
                return name;
            }
        }
        return null;
    }

    private Expression parse(String expression, String attribute, String description) {
        try {
            return this.parser.parseExpression(expression);
        } catch (ParseException ex) {
            throw new IllegalStateException(
                    "@Idempotent(" + attribute + " = \"" + expression + "\") on " + description
                            + " is not a valid SpEL expression: " + ex.getMessage(),
                    ex);
        }
    }

    private static Duration duration(String value, String attribute, String description) {
        try {
            return AnnotationDurations.parse(value);
        } catch (IllegalArgumentException ex) {
            throw invalid(description, "has " + attribute + " = \"" + value + "\", which " + ex.getMessage());
        }
    }

    private static Class<?> unrecordableType(Class<?> type) {
        return IncompleteReturnTypes.find(type, UNRECORDABLE_TYPES);
    }

    private static boolean isHandlerMethod(Method method, Class<?> targetClass) {
        return isController(targetClass) && hasAnnotation(method, null, REQUEST_MAPPING);
    }

    private static boolean isController(Class<?> targetClass) {
        return hasAnnotation(targetClass, null, CONTROLLER);
    }

    /**
     * Looks an annotation up by name, so that neither Spring MVC nor Spring's transactions need be present.
     */
    private static boolean hasAnnotation(java.lang.reflect.AnnotatedElement element, Class<?> type, String name) {
        if (!ClassUtils.isPresent(name, IdempotentMethodSource.class.getClassLoader())) {
            return false;
        }
        Class<? extends java.lang.annotation.Annotation> annotation = ClassUtils.resolveClassName(
                        name, IdempotentMethodSource.class.getClassLoader())
                .asSubclass(java.lang.annotation.Annotation.class);
        return AnnotatedElementUtils.hasAnnotation(element, annotation)
                || (type != null && AnnotatedElementUtils.hasAnnotation(type, annotation));
    }

    private static Method specificMethod(Method method, Class<?> targetClass) {
        return BridgeMethodResolver.findBridgedMethod(AopUtils.getMostSpecificMethod(method, targetClass));
    }

    /**
     * Describes a method for messages and metrics: its declaring class and signature, such as
     * {@code com.example.LedgerConsumer#onPaymentSucceeded(PaymentSucceeded)}.
     */
    static String describe(Method method, Class<?> targetClass) {
        StringJoiner parameters = new StringJoiner(", ", "(", ")");
        for (Class<?> type : method.getParameterTypes()) {
            parameters.add(type.getSimpleName());
        }
        return ClassUtils.getUserClass(targetClass).getName() + "#" + method.getName() + parameters;
    }

    private static IllegalStateException invalid(String description, String reason) {
        return new IllegalStateException("@Idempotent method " + description + " " + reason);
    }

    private record MethodKey(Method method, Class<?> targetClass) {}
}
