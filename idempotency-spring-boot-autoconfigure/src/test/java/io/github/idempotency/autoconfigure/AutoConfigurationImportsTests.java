package io.github.idempotency.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.util.ClassUtils;

/**
 * Every class the {@code META-INF} files name exists and is what they claim: Spring skips a dead entry
 * silently, so only a test notices.
 */
class AutoConfigurationImportsTests {

    @Test
    void everyClassNamedInMetaInfFilesExists() throws Exception {
        List<String> names = namesIn("classpath*:META-INF/spring/*.imports");
        assertThat(names).isNotEmpty();
        for (String name : names) {
            assertThat(ClassUtils.isPresent(name, getClass().getClassLoader()))
                    .as(name)
                    .isTrue();
        }
    }

    @Test
    void everyClassNamedInSpringFactoriesExists() throws Exception {
        Resource[] resources =
                new PathMatchingResourcePatternResolver().getResources("classpath*:META-INF/spring.factories");
        List<String> names = java.util.Arrays.stream(resources)
                .filter((resource) -> resource.getDescription().contains("idempotency-spring-boot-autoconfigure"))
                .flatMap((resource) -> factoryNames(resource).stream())
                .toList();
        assertThat(names).isNotEmpty();
        for (String name : names) {
            assertThat(ClassUtils.isPresent(name, getClass().getClassLoader()))
                    .as(name)
                    .isTrue();
        }
    }

    @Test
    void everyAutoConfigurationIsAnnotatedAndNamedAsOne() throws Exception {
        for (String name : namesIn(
                "classpath*:META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
            Class<?> type = ClassUtils.forName(name, getClass().getClassLoader());
            assertThat(type).as(name).hasAnnotation(AutoConfiguration.class);
            assertThat(type.getSimpleName()).endsWith("AutoConfiguration");
        }
    }

    private static List<String> namesIn(String pattern) throws IOException {
        Resource[] resources = new PathMatchingResourcePatternResolver().getResources(pattern);
        return java.util.Arrays.stream(resources)
                .filter((resource) -> resource.getDescription().contains("idempotency-spring-boot-autoconfigure"))
                .flatMap((resource) -> lines(resource).stream())
                .map(String::strip)
                .filter((line) -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    private static List<String> factoryNames(Resource resource) {
        try {
            return PropertiesLoaderUtils.loadProperties(resource).values().stream()
                    .flatMap((value) -> java.util.Arrays.stream(((String) value).split(",")))
                    .map(String::strip)
                    .toList();
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static List<String> lines(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
