package io.github.idempotency.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import io.github.idempotency.store.jdbc.ClaimCommit;
import io.github.idempotency.store.jdbc.JdbcIdempotencySchemaInitializer;
import io.github.idempotency.store.jdbc.JdbcIdempotencyStore;
import io.github.idempotency.store.jdbc.JdbcIdempotencyStorePurger;
import io.github.idempotency.store.memory.InMemoryIdempotencyStore;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The JDBC store is chosen when the application has a DataSource, creates its table on an embedded
 * database, and checks the table at startup.
 */
@ExtendWith(OutputCaptureExtension.class)
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
    void missingTableWithInitializationOffFailsStartupNamingTheTableAndTheScript() {
        this.runner
                .withPropertyValues("idempotency.jdbc.initialize-schema=never")
                .run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .hasMessageContaining("idempotencySchemaValidator")
                            .cause()
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("Table 'idempotency_record' of the idempotency store cannot be read")
                            .hasMessageContaining("io/github/idempotency/store/jdbc/schema-h2.sql");
                });
    }

    @Test
    void missingTableIsReportedAsTheApplicationFailingToStart(CapturedOutput output) {
        assertThatException()
                .isThrownBy(() -> new SpringApplicationBuilder(JdbcApplication.class)
                        .web(WebApplicationType.NONE)
                        .run(
                                "--spring.datasource.generate-unique-name=true",
                                "--idempotency.jdbc.initialize-schema=never",
                                "--spring.main.banner-mode=off"));

        String report = output.getAll();
        assertThat(report.substring(report.indexOf("APPLICATION FAILED TO START")))
                .containsSubsequence(
                        "Description:",
                        "Table 'idempotency_record' of the idempotency store cannot be read",
                        "Action:",
                        "Create it from io/github/idempotency/store/jdbc/schema-h2.sql in the starter's jar");
    }

    @Test
    void tableOfTheSameNameMadeForSomethingElseFailsStartupNamingTheMissingColumns() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class))
                .withBean(DataSource.class, () -> {
                    JdbcDataSource h2 = new JdbcDataSource();
                    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
                    new JdbcTemplate(h2)
                            .execute("CREATE TABLE idempotency_record (id BIGINT PRIMARY KEY, token VARCHAR(64))");
                    return h2;
                })
                .run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .cause()
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("Table 'idempotency_record' of the idempotency store lacks the"
                                    + " columns [scope_hash, idempotency_key,")
                            .hasMessageContaining("io/github/idempotency/store/jdbc/schema-h2.sql");
                });
    }

    @Test
    void unreachableDatabaseAtStartupIsWarnedAboutAndTheApplicationStarts(CapturedOutput output) {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class))
                // Port 1 on the loopback interface: nothing listens there.
                .withBean(
                        DataSource.class,
                        () -> new DriverManagerDataSource(
                                "jdbc:postgresql://127.0.0.1:1/absent?connectTimeout=2", "postgres", ""))
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(JdbcIdempotencyStore.class);
                    assertThat(output)
                            .contains("Could not check the columns of the idempotency store's table"
                                    + " 'idempotency_record' at startup");
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

    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, IdempotencyAutoConfiguration.class})
    static class JdbcApplication {}
}
