package io.github.idempotency.testsupport;

import java.util.function.Supplier;

/**
 * A value computed on first use and kept for the rest of the JVM, and so is its failure: every later test
 * class fails at once with the first one's reasons, rather than trying again what already failed.
 *
 * @param <T> the value's type
 */
final class OnFirstUse<T> {

    private final Supplier<T> computation;

    private T value;

    private RuntimeException failure;

    OnFirstUse(Supplier<T> computation) {
        this.computation = computation;
    }

    synchronized T get() {
        if (this.value == null && this.failure == null) {
            try {
                this.value = this.computation.get();
            } catch (RuntimeException ex) {
                this.failure = ex;
            }
        }
        if (this.failure != null) {
            throw this.failure;
        }
        return this.value;
    }
}
