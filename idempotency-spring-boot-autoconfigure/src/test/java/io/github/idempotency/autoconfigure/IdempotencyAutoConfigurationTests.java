package io.github.idempotency.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.ClaimToken;
import io.github.idempotency.IdempotencyKey;
import io.github.idempotency.IdempotencyScope;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.engine.Admission;
import io.github.idempotency.engine.IdempotencyEngine;
import io.github.idempotency.engine.IdempotentOperation;
import io.github.idempotency.store.memory.InMemoryIdempotencyStore;
import io.github.idempotency.web.DefaultIdempotencyRecordPolicy;
import io.github.idempotency.web.DefaultIdempotencyScopeResolver;
import io.github.idempotency.web.IdempotencyFilter;
import io.github.idempotency.web.IdempotencyHandlerInterceptor;
import io.github.idempotency.web.IdempotencyRecordPolicy;
import io.github.idempotency.web.IdempotencyScopeResolver;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The auto-configuration's choices: defaults, property overrides, backing off for the application's own
 * beans, missing technologies and invalid properties.
 */
@ExtendWith(OutputCaptureExtension.class)
class IdempotencyAutoConfigurationTests {

    private final WebApplicationContextRunner webRunner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    IdempotencyAutoConfiguration.class, IdempotencyWebMvcAutoConfiguration.class));

    private static final String DEFAULT_MEMORY_STORE_WARNING = "Idempotency keys are kept in memory because";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    IdempotencyAutoConfiguration.class, IdempotencyWebMvcAutoConfiguration.class));

    @Test
    void defaultsToInMemoryStoreAndWebIntegrationWithoutDataSourceOrRedis() {
        this.webRunner.run((context) -> {
            assertThat(context).hasSingleBean(InMemoryIdempotencyStore.class);
            assertThat(context).hasSingleBean(IdempotencyHandlerInterceptor.class);
            assertThat(context).hasSingleBean(DefaultIdempotencyScopeResolver.class);
            assertThat(context).hasSingleBean(DefaultIdempotencyRecordPolicy.class);
            assertThat(context.getBean("idempotencyFilter", FilterRegistrationBean.class)
                            .getFilter())
                    .isInstanceOf(IdempotencyFilter.class);
        });
    }

    @Test
    void defaultPropertiesMatchTheDesign() {
        this.runner.run((context) -> {
            IdempotencyProperties properties = context.getBean(IdempotencyProperties.class);
            assertThat(properties.getHeaderName()).isEqualTo("Idempotency-Key");
            assertThat(properties.getTtl()).isEqualTo(Duration.ofHours(24));
            assertThat(properties.getLease()).isEqualTo(Duration.ofSeconds(60));
            assertThat(properties.getScope()).isEqualTo(IdempotencyScope.USER_AND_ENDPOINT);
            assertThat(properties.getMaxKeyLength()).isEqualTo(255);
            assertThat(properties.getMaxRequestSize().toBytes()).isEqualTo(1024 * 1024);
            assertThat(properties.getMaxResponseSize().toBytes()).isEqualTo(1024 * 1024);
            assertThat(properties.getStore().getFailureMode()).isEqualTo(IdempotencyProperties.FailureMode.FAIL_CLOSED);
            assertThat(properties.getJdbc().getTableName()).isEqualTo("idempotency_record");
            assertThat(properties.getRedis().getKeyPrefix()).isEqualTo("idempotency:");
            assertThat(properties.getResponseHeaders().getExclude()).containsExactly("Set-Cookie");
        });
    }

    @Test
    void propertiesAreBoundIntoTheWebSettings() {
        this.webRunner
                .withPropertyValues(
                        "idempotency.header-name=X-Request-Key",
                        "idempotency.ttl=2h",
                        "idempotency.lease=5s",
                        "idempotency.scope=user",
                        "idempotency.max-key-length=64",
                        "idempotency.max-request-size=10KB",
                        "idempotency.store.failure-mode=fail-open")
                .run((context) -> {
                    var settings =
                            IdempotencyWebMvcAutoConfiguration.settings(context.getBean(IdempotencyProperties.class));
                    assertThat(settings.headerName()).isEqualTo("X-Request-Key");
                    assertThat(settings.ttl()).isEqualTo(Duration.ofHours(2));
                    assertThat(settings.lease()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(settings.scope()).isEqualTo(IdempotencyScope.USER);
                    assertThat(settings.maxKeyLength()).isEqualTo(64);
                    assertThat(settings.maxRequestSize()).isEqualTo(10 * 1024);
                    assertThat(settings.failOpen()).isTrue();
                });
    }

    @Test
    void applicationStoreBeanWins() {
        this.webRunner.withUserConfiguration(OwnStoreConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(IdempotencyStore.class);
            assertThat(context.getBean(IdempotencyStore.class)).isSameAs(OwnStoreConfiguration.STORE);
            assertThat(context).hasSingleBean(IdempotencyHandlerInterceptor.class);
        });
    }

    @Test
    void applicationScopeResolverAndRecordPolicyWin() {
        this.webRunner.withUserConfiguration(OwnWebBeansConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(IdempotencyScopeResolver.class);
            assertThat(context).doesNotHaveBean(DefaultIdempotencyScopeResolver.class);
            assertThat(context).hasSingleBean(IdempotencyRecordPolicy.class);
            assertThat(context).doesNotHaveBean(DefaultIdempotencyRecordPolicy.class);
        });
    }

    @Test
    void nothingIsConfiguredWhenDisabled() {
        this.webRunner.withPropertyValues("idempotency.enabled=false").run((context) -> {
            assertThat(context).doesNotHaveBean(IdempotencyStore.class);
            assertThat(context).doesNotHaveBean(IdempotencyHandlerInterceptor.class);
            assertThat(context).doesNotHaveBean(IdempotencyProperties.class);
        });
    }

    @Test
    void webIntegrationBacksOffOutsideAServletApplication() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(IdempotencyStore.class);
            assertThat(context).doesNotHaveBean(IdempotencyHandlerInterceptor.class);
        });
    }

    @Test
    void webIntegrationBacksOffWithoutSpringMvc() {
        this.webRunner
                .withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
                .run((context) -> {
                    assertThat(context).hasSingleBean(IdempotencyStore.class);
                    assertThat(context).doesNotHaveBean(IdempotencyHandlerInterceptor.class);
                });
    }

    @Test
    void explicitMemoryStoreTypeIsHonoured() {
        this.webRunner
                .withPropertyValues("idempotency.store.type=memory")
                .run((context) -> assertThat(context).hasSingleBean(InMemoryIdempotencyStore.class));
    }

    @Test
    void inMemoryStoreChosenByDefaultIsWarnedAboutOnce(CapturedOutput output) {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(InMemoryIdempotencyStore.class);
            assertThat(output.getAll().lines().filter((line) -> line.contains(DEFAULT_MEMORY_STORE_WARNING)))
                    .singleElement()
                    .asString()
                    .contains("WARN")
                    .contains("idempotency.store.type=memory");
        });
    }

    @Test
    void inMemoryStoreChosenExplicitlyIsNotWarnedAbout(CapturedOutput output) {
        this.runner.withPropertyValues("idempotency.store.type=memory").run((context) -> {
            assertThat(context).hasSingleBean(InMemoryIdempotencyStore.class);
            assertThat(output.getAll()).doesNotContain(DEFAULT_MEMORY_STORE_WARNING);
        });
    }

    @Test
    void redisStoreTypeWithoutRedisFailsNamingTheProperty() {
        this.runner.withPropertyValues("idempotency.store.type=redis").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("idempotency.store.type")
                    .hasMessageContaining("RedisConnectionFactory");
        });
    }

    @Test
    void jdbcStoreTypeWithoutDataSourceFailsNamingTheProperty() {
        this.runner.withPropertyValues("idempotency.store.type=jdbc").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("idempotency.store.type")
                    .hasMessageContaining("DataSource");
        });
    }

    @Test
    void invalidPropertiesFailStartupNamingTheProperty() {
        String[][] cases = {
            {"idempotency.ttl=0s", "idempotency.ttl"},
            {"idempotency.lease=-1s", "idempotency.lease"},
            {"idempotency.store.timeout=0s", "idempotency.store.timeout"},
            {"idempotency.max-key-length=0", "idempotency.max-key-length"},
            {"idempotency.max-key-length=5000", "idempotency.max-key-length"},
            {"idempotency.max-request-size=0B", "idempotency.max-request-size"},
            {"idempotency.max-response-size=3GB", "idempotency.max-response-size"},
            {"idempotency.header-name=Bad Header", "idempotency.header-name"},
            {"idempotency.scope=default", "idempotency.scope"},
            {"idempotency.jdbc.table-name=records; DROP TABLE x", "idempotency.jdbc.table-name"},
            {"idempotency.jdbc.purge-batch-size=0", "idempotency.jdbc.purge-batch-size"},
            {"idempotency.memory.max-entries=0", "idempotency.memory.max-entries"},
            {"idempotency.in-progress-retry-after=500ms", "idempotency.in-progress-retry-after"},
            {"idempotency.in-progress-retry-after=2m", "idempotency.in-progress-retry-after"}
        };
        for (String[] invalid : cases) {
            this.runner.withPropertyValues(invalid[0]).run((context) -> {
                assertThat(context).as(invalid[0]).hasFailed();
                assertThat(context.getStartupFailure())
                        .as(invalid[0])
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining(invalid[1]);
            });
        }
    }

    @Test
    void inProgressRetryAfterPropertyFixesTheAnswerToADuplicate() {
        this.runner.withPropertyValues("idempotency.in-progress-retry-after=7s").run((context) -> {
            assertThat(admitTwice(context.getBean(IdempotencyEngine.class)))
                    .isEqualTo(new Admission.InProgress(Duration.ofSeconds(7)));
        });
    }

    @Test
    void inProgressRetryAfterIsEstimatedWhenThePropertyIsUnset() {
        // No call ended yet and the first has just begun: come back in a second, not when the 60 s lease ends.
        this.runner.run((context) -> assertThat(admitTwice(context.getBean(IdempotencyEngine.class)))
                .isEqualTo(new Admission.InProgress(Duration.ofSeconds(1))));
    }

    private static Admission admitTwice(IdempotencyEngine engine) {
        IdempotentOperation operation = new IdempotentOperation(
                "OrderController#create(Order)",
                new IdempotencyKey("alice POST /orders", "key-1"),
                "fingerprint",
                Duration.ofHours(1),
                false);
        assertThat(engine.admit(operation)).isInstanceOf(Admission.Proceed.class);
        return engine.admit(operation);
    }

    @Test
    void unparseablePropertyFailsStartupNamingTheProperty() {
        this.runner
                .withPropertyValues("idempotency.expired-lease-policy=sometimes")
                .run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasMessageContaining("idempotency");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStoreConfiguration {

        static final IdempotencyStore STORE = new IdempotencyStore() {

            @Override
            public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lease) {
                return new ClaimResult.Mismatch();
            }

            @Override
            public boolean complete(IdempotencyKey key, ClaimToken token, StoredResponse response, Duration ttl) {
                return false;
            }

            @Override
            public boolean release(IdempotencyKey key, ClaimToken token) {
                return false;
            }

            @Override
            public boolean renew(IdempotencyKey key, ClaimToken token, Duration lease) {
                return false;
            }
        };

        @Bean
        IdempotencyStore ownStore() {
            return STORE;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnWebBeansConfiguration {

        @Bean
        IdempotencyScopeResolver tenantScopeResolver() {
            return (request, scope) -> "tenant-1";
        }

        @Bean
        IdempotencyRecordPolicy recordEverything() {
            return (outcome) -> true;
        }
    }
}
