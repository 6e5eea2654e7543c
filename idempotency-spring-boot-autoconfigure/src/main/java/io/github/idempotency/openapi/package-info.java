/**
 * The OpenAPI documentation of {@code @Idempotent} endpoints, for applications that generate their OpenAPI
 * document with springdoc-openapi.
 */
package io.github.idempotency.openapi;
