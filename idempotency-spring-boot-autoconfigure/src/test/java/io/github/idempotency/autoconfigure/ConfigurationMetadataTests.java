package io.github.idempotency.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The generated configuration metadata, which IDEs complete {@code idempotency.*} properties from,
 * describes every property.
 */
class ConfigurationMetadataTests {

    @Test
    @SuppressWarnings("unchecked")
    void everyPropertyHasADescriptionAndTheDocumentedOnesAreThere() throws Exception {
        Map<String, Object> metadata;
        try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
            metadata = JsonMapper.builder().build().readValue(in, Map.class);
        }
        List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata.get("properties");
        assertThat(properties)
                .allSatisfy((property) -> assertThat((String) property.get("description"))
                        .as((String) property.get("name"))
                        .isNotBlank());
        assertThat(properties)
                .extracting((property) -> property.get("name"))
                .contains(
                        "idempotency.enabled",
                        "idempotency.header-name",
                        "idempotency.ttl",
                        "idempotency.lease",
                        "idempotency.expired-lease-policy",
                        "idempotency.store.failure-mode",
                        "idempotency.max-response-size",
                        "idempotency.max-request-size",
                        "idempotency.scope",
                        "idempotency.max-key-length",
                        "idempotency.store.type",
                        "idempotency.jdbc.table-name",
                        "idempotency.jdbc.initialize-schema",
                        "idempotency.redis.key-prefix",
                        "idempotency.client.header-name",
                        "idempotency.client.max-attempts",
                        "idempotency.client.max-total-time",
                        "idempotency.client.max-retry-after");
        assertThat(properties)
                .filteredOn((property) -> "idempotency.response-headers.exclude".equals(property.get("name")))
                .singleElement()
                .satisfies(
                        (property) -> assertThat(property.get("defaultValue")).isEqualTo(List.of("Set-Cookie")));
    }
}
