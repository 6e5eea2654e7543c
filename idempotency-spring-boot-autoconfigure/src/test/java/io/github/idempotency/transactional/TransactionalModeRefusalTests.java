package io.github.idempotency.transactional;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.Idempotent;
import io.github.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import io.github.idempotency.autoconfigure.IdempotencyWebMvcAutoConfiguration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The transactional mode is refused at startup, with a message saying why, wherever it cannot hold.
 */
class TransactionalModeRefusalTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withPropertyValues("spring.datasource.generate-unique-name=true")
            .withConfiguration(AutoConfigurations.of(
                    DispatcherServletAutoConfiguration.class,
                    WebMvcAutoConfiguration.class,
                    DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class,
                    IdempotencyAutoConfiguration.class,
                    IdempotencyWebMvcAutoConfiguration.class));

    @Test
    void transactionalEndpointStartsWithJdbcStoreAndItsTransactionManager() {
        this.runner
                .withPropertyValues("idempotency.store.type=jdbc")
                .withUserConfiguration(TransactionalController.class)
                .run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void transactionalEndpointWithInMemoryStoreFailsStartup() {
        this.runner
                .withPropertyValues("idempotency.store.type=memory")
                .withUserConfiguration(TransactionalController.class)
                .run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .hasMessageContaining("@Idempotent(transactional = true) on")
                            .hasMessageContaining("TransactionalController#create()")
                            .hasMessageContaining("needs the JDBC store")
                            .hasMessageContaining("InMemoryIdempotencyStore");
                });
    }

    @Test
    void transactionalPropertyWithoutTransactionsFailsStartupNamingTheProperty() {
        this.runner
                .withPropertyValues("idempotency.store.type=memory", "idempotency.jdbc.transactional=true")
                .run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .hasMessageContaining("idempotency.jdbc.transactional=true")
                            .hasMessageContaining("needs the JDBC store");
                });
    }

    @Test
    void transactionManagerOfAnotherDataSourceFailsStartup() {
        this.runner
                .withPropertyValues("idempotency.store.type=jdbc")
                .withUserConfiguration(TransactionalController.class, OtherDatabaseTransactionManager.class)
                .run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasMessageContaining("needs the JDBC store");
                });
    }

    @RestController
    static class TransactionalController {

        @PostMapping("/create")
        @Idempotent(transactional = true)
        String create() {
            return "created";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OtherDatabaseTransactionManager {

        @Bean
        PlatformTransactionManager otherTransactionManager() {
            DataSource other = new EmbeddedDatabaseBuilder()
                    .setType(EmbeddedDatabaseType.H2)
                    .generateUniqueName(true)
                    .build();
            return new DataSourceTransactionManager(other);
        }
    }
}
