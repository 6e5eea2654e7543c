package io.github.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnsafeHttpMethodsTests {

    @Test
    void includesTheMethodsThatChangeState() {
        assertThat(UnsafeHttpMethods.includes("POST")).isTrue();
        assertThat(UnsafeHttpMethods.includes("PUT")).isTrue();
        assertThat(UnsafeHttpMethods.includes("PATCH")).isTrue();
        assertThat(UnsafeHttpMethods.includes("DELETE")).isTrue();
    }

    @Test
    void excludesSafeAndExtensionMethodsAndOtherSpellings() {
        assertThat(UnsafeHttpMethods.includes("GET")).isFalse();
        assertThat(UnsafeHttpMethods.includes("HEAD")).isFalse();
        assertThat(UnsafeHttpMethods.includes("OPTIONS")).isFalse();
        assertThat(UnsafeHttpMethods.includes("TRACE")).isFalse();
        assertThat(UnsafeHttpMethods.includes("PROPFIND")).isFalse();
        assertThat(UnsafeHttpMethods.includes("post")).isFalse();
        assertThat(UnsafeHttpMethods.includes(null)).isFalse();
    }
}
