package io.github.idempotency.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.github.idempotency.Idempotent;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterNameDiscoverer;

/**
 * {@link IdempotentMethodSource} where the parameters' names are not known at run time, as in code compiled
 * without {@code -parameters}: expressions that read arguments by name fail at startup, by position work.
 */
class IdempotentMethodSourceTests {

    private final IdempotentMethodSource withoutNames = new IdempotentMethodSource(new NoNames());

    @Test
    void keyReadingAnArgumentByNameFailsNamingTheVariableAndTheWayOut() throws Exception {
        Method method = Handlers.class.getMethod("byName", Event.class);

        assertThatIllegalStateException()
                .isThrownBy(() -> this.withoutNames.find(method, Handlers.class))
                .withMessageContaining(Handlers.class.getName() + "#byName(Event)")
                .withMessageContaining("reads #event in \"#event.id\"")
                .withMessageContaining("-parameters")
                .withMessageContaining("#p0");
    }

    @Test
    void fingerprintReadingAnArgumentByNameFailsToo() throws Exception {
        Method method = Handlers.class.getMethod("fingerprintByName", Event.class);

        assertThatIllegalStateException()
                .isThrownBy(() -> this.withoutNames.find(method, Handlers.class))
                .withMessageContaining("reads #event in \"#event.amount\"");
    }

    @Test
    void keysReadingArgumentsByPositionOrThroughTheRootNeedNoNames() throws Exception {
        assertThat(this.withoutNames.find(Handlers.class.getMethod("byPosition", Event.class), Handlers.class))
                .isNotNull();
        assertThat(this.withoutNames.find(Handlers.class.getMethod("byRoot", Event.class), Handlers.class))
                .isNotNull();
    }

    @Test
    void keyReadingAnArgumentByNameWorksWhereNamesAreKnown() throws Exception {
        assertThat(new IdempotentMethodSource().find(Handlers.class.getMethod("byName", Event.class), Handlers.class))
                .isNotNull();
    }

    /**
     * An event with an id.
     * @param id the id
     * @param amount an amount
     */
    public record Event(String id, long amount) {}

    /**
     * Idempotent methods reading their argument in each way.
     */
    public static class Handlers {

        @Idempotent(key = "#event.id")
        public void byName(Event event) {}

        @Idempotent(key = "#p0.id", fingerprint = "#event.amount")
        public void fingerprintByName(Event event) {}

        @Idempotent(key = "#p0.id + '-' + #a0.amount")
        public void byPosition(Event event) {}

        @Idempotent(key = "#root.args[0].id")
        public void byRoot(Event event) {}
    }

    private static final class NoNames implements ParameterNameDiscoverer {

        @Override
        public String[] getParameterNames(Method method) {
            return null;
        }

        @Override
        public String[] getParameterNames(Constructor<?> ctor) {
            return null;
        }
    }
}
