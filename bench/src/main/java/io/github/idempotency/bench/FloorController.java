package io.github.idempotency.bench;

import io.lettuce.core.RedisClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
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

    private final ObjectProvider<LettuceConnectionFactory> redisConnectionFactories;

    FloorController(
            ObjectProvider<DataSource> dataSources, ObjectProvider<LettuceConnectionFactory> redisConnectionFactories) {
        this.dataSources = dataSources;
        this.redisConnectionFactories = redisConnectionFactories;
    }

    /**
     * Runs the floor harness.
     * @param store {@code postgres}, {@code redis} or {@code redis-raw}
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
     * Opens a store's floor on the application's own pool or client, or for {@code redis-raw} on sockets of
     * its own to the application's Redis; on PostgreSQL, its table must exist.
     * @param store {@code postgres}, {@code redis} or {@code redis-raw}
     * @return the floor, to close after use
     */
    FloorHarness.Floor open(String store) {
        return switch (store) {
            case "postgres" -> new FloorHarness.PostgresFloor(this.dataSources.getObject(), () -> {});
            case "redis" ->
                new FloorHarness.RedisFloor(
                        (RedisClient) this.redisConnectionFactories.getObject().getRequiredNativeClient(), () -> {});
            case "redis-raw" -> {
                LettuceConnectionFactory factory = this.redisConnectionFactories.getObject();
                yield new RawSocketRedisFloor(factory.getHostName(), factory.getPort(), factory.getDatabase());
            }
            default ->
                throw new IllegalArgumentException("Unknown store '" + store + "': postgres, redis or redis-raw");
        };
    }
}
