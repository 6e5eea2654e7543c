package io.github.idempotency.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.RedisClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Measures a store's floor inside the running application ({@code GET /bench/floor?store=postgres}): on the
 * application's own pool, or on a connection from its own Lettuce client, in the same JVM and moment as
 * the requests it is compared with. Answers the {@link FloorHarness} result lines.
 */
@RestController
public class FloorController {

    private final ObjectProvider<DataSource> dataSources;

    /** The JDBC store's statement timeout in the benchmark: {@code idempotency.store.timeout}'s default. */
    private static final int STORE_TIMEOUT_SECONDS = 2;

    private final ObjectProvider<LettuceConnectionFactory> redisConnectionFactories;

    private final Environment environment;

    FloorController(
            ObjectProvider<DataSource> dataSources,
            ObjectProvider<LettuceConnectionFactory> redisConnectionFactories,
            Environment environment) {
        this.dataSources = dataSources;
        this.redisConnectionFactories = redisConnectionFactories;
        this.environment = environment;
    }

    /**
     * Runs the floor harness.
     * @param store a floor that {@link #open} knows
     * @param options the harness's options without their leading dashes, such as {@code threads=1,16}
     * @return one result line per thread count
     * @throws Exception if the store fails
     */
    @GetMapping("/bench/floor")
    public String floor(@RequestParam String store, @RequestParam Map<String, String> options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FloorHarness(options).measure(store, open(store), new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Opens a store's floor on the application's own pool or client; {@code postgres-timeout} with the
     * store's statement timeout, {@code postgres-unprepared} on a pool of its own whose statements pgjdbc
     * never prepares on the server, {@code redis-raw} on sockets of its own to the application's Redis. On
     * PostgreSQL, its table must exist.
     * @param store {@code postgres}, {@code postgres-timeout}, {@code postgres-unprepared}, {@code redis} or
     * {@code redis-raw}
     * @return the floor, to close after use
     */
    FloorHarness.Floor open(String store) {
        return switch (store) {
            case "postgres" -> new FloorHarness.PostgresFloor(this.dataSources.getObject(), () -> {}, 0);
            case "postgres-timeout" ->
                new FloorHarness.PostgresFloor(this.dataSources.getObject(), () -> {}, STORE_TIMEOUT_SECONDS);
            case "postgres-unprepared" -> {
                // pgjdbc's prepareThreshold=0: every execution parses its statement again, as behind PgBouncer.
                HikariDataSource unprepared = new HikariDataSource();
                unprepared.setJdbcUrl(this.environment.getRequiredProperty("spring.datasource.url"));
                unprepared.setUsername(this.environment.getProperty("spring.datasource.username"));
                unprepared.setPassword(this.environment.getProperty("spring.datasource.password"));
                unprepared.addDataSourceProperty("prepareThreshold", "0");
                yield new FloorHarness.PostgresFloor(unprepared, unprepared::close, 0);
            }
            case "redis" ->
                new FloorHarness.RedisFloor(
                        (RedisClient) this.redisConnectionFactories.getObject().getRequiredNativeClient(), () -> {});
            case "redis-raw" -> {
                LettuceConnectionFactory factory = this.redisConnectionFactories.getObject();
                yield new RawSocketRedisFloor(factory.getHostName(), factory.getPort(), factory.getDatabase());
            }
            default ->
                throw new IllegalArgumentException("Unknown store '" + store
                        + "': postgres, postgres-timeout, postgres-unprepared, redis or redis-raw");
        };
    }
}
