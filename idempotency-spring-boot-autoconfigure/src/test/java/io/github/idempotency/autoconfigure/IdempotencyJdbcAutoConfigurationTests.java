package io.github.idempotency.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.store.jdbc.ClaimCommit;
import io.github.idempotency.store.jdbc.JdbcIdempotencySchemaInitializer;
import io.github.idempotency.store.jdbc.JdbcIdempotencyStore;
import io.github.idempotency.store.jdbc.JdbcIdempotencyStorePurger;
import io.github.idempotency.store.memory.InMemoryIdempotencyStore;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The JDBC store is chosen when the application has a DataSource, and creates its table on an embedded
 * database.
 */
class IdempotencyJdbcAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withPropertyValues("spring.datasource.generate-unique-name=true")
            .withConfiguration(
                    AutoConfigurations.of(DataSourceAutoConfiguration.class, IdempotencyAutoConfiguration.class));

    @Test
    void dataSourceSelectsJdbcStoreAndCreatesItsTableOnEmbeddedDatabase() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(JdbcIdempotencyStore.class);
            assertThat(context).hasSingleBean(JdbcIdempotencySchemaInitializer.class);
            assertThat(context).hasSingleBean(JdbcIdempotencyStorePurger.class);
            assertThat(rowCount(context.getBean(DataSource.class), "idempotency_record"))
                    .isZero();
        });
    }

    @Test
    void claimCommitIsSynchronousUnlessConfigured() {
        this.runner.run((context) -> assertThat(context.getBean(JdbcIdempotencyStore.class))
                .extracting("claimCommit")
                .isEqualTo(ClaimCommit.SYNC));
        this.runner
                .withPropertyValues("idempotency.jdbc.claim-commit=async")
                .run((context) -> assertThat(context.getBean(JdbcIdempotencyStore.class))
                        .extracting("claimCommit")
                        .isEqualTo(ClaimCommit.ASYNC));
    }

    @Test
    void customTableNameIsCreated() {
        this.runner
                .withPropertyValues("idempotency.jdbc.table-name=payment_keys")
                .run((context) -> assertThat(rowCount(context.getBean(DataSource.class), "payment_keys"))
                        .isZero());
    }

    @Test
    void schemaIsLeftAloneWhenInitializationIsOff() {
        this.runner
                .withPropertyValues("idempotency.jdbc.initialize-schema=never")
                .run((context) -> {
                    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                    assertThat(jdbc.queryForObject(
                                    "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) = 'idempotency_record'",
                                    Integer.class))
                            .isZero();
                });
    }

    @Test
    void purgeCanBeSwitchedOff() {
        this.runner.withPropertyValues("idempotency.jdbc.purge-interval=0").run((context) -> {
            assertThat(context).hasSingleBean(JdbcIdempotencyStore.class);
            assertThat(context).doesNotHaveBean(JdbcIdempotencyStorePurger.class);
        });
    }

    @Test
    void explicitMemoryStoreTypeWinsOverDataSource() {
        this.runner.withPropertyValues("idempotency.store.type=memory").run((context) -> {
            assertThat(context).hasSingleBean(InMemoryIdempotencyStore.class);
            assertThat(context).doesNotHaveBean(JdbcIdempotencyStore.class);
        });
    }

    @Test
    void withoutSpringJdbcTheStoreFallsBackToMemory() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class))
                .withBean(DataSource.class, () -> {
                    JdbcDataSource h2 = new JdbcDataSource();
                    h2.setURL("jdbc:h2:mem:no-spring-jdbc");
                    return h2;
                })
                .withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
                .run((context) -> assertThat(context).hasSingleBean(InMemoryIdempotencyStore.class));
    }

    private static int rowCount(DataSource dataSource, String table) {
        return new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM " + table, Integer.class);
    }
}
