/**
 * Operating idempotent endpoints and methods: the {@code idempotency} actuator endpoint that looks up and
 * deletes records, the store's health indicator, and the count of outcomes that could not be recorded.
 * Each is auto-configured only where its technology (Spring Boot Actuator, Micrometer) is present.
 */
package io.github.idempotency.actuate;
