package com.example.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.ClassPathResource;

/**
 * The Flyway migrations that create the idempotency table are copies of the starter's schema scripts; this
 * catches a copy left behind when the starter's table changes.
 */
class IdempotencyMigrationTests {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void migrationCreatesTheTableOfTheStartersSchemaScript(String vendor) throws IOException {
        String migration = read("db/migration/" + vendor + "/V2__create_idempotency_record.sql");
        String starterScript = read("io/github/idempotency/store/jdbc/schema-" + vendor + ".sql");
        assertThat(withoutComments(migration)).isEqualTo(withoutComments(starterScript));
    }

    private static String read(String path) throws IOException {
        return new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
    }

    private static String withoutComments(String sql) {
        return Arrays.stream(sql.split("\n"))
                .filter(line -> !line.startsWith("--"))
                .collect(Collectors.joining("\n"))
                .strip();
    }
}
