package io.github.idempotency.bench;

import io.github.idempotency.ClaimToken;
import io.github.idempotency.ExpiredLeasePolicy;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.store.jdbc.JdbcIdempotencyStore;
import io.github.idempotency.store.jdbc.JdbcStoreStatements;
import io.github.idempotency.store.redis.RedisStoreCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes what the stores' physical floors need, taken from the stores' own code so that they cannot drift
 * from it: for {@code pgbench}, a script of the JDBC store's claim and completion ({@code pgbench-sync.sql},
 * and {@code pgbench-async.sql} with the claim of {@code claim-commit=ASYNC}), each statement autocommitted,
 * the claim's parameters replaced by pgbench variables, and their values ({@code pgbench-defines}, one
 * {@code name=value} per {@code -D}, separated by NUL characters, since the headers hold line breaks); for
 * {@code redis-benchmark}, the lengths of the Redis store's values and its completion script
 * ({@code redis.txt}, {@code redis-complete.lua}).
 *
 * <p>For the transactional endpoints' physical floor, three pgbench scripts of one transaction that inserts
 * the business row of {@link TransactionalOrders} into a table of its own ({@code pgbench-tx-setup.sql}
 * creates and empties it): {@code pgbench-tx-plain.sql} alone, {@code pgbench-tx-empty.sql} between two
 * statements that do nothing, {@code pgbench-tx-store.sql} between the store's claim and completion. The
 * transaction's {@code BEGIN} goes in one round trip with its first statement, as pgjdbc sends it.
 *
 * <p>pgbench draws a new key for every transaction ({@code random}), so that each claims a key never used
 * before, as a first request does.
 */
public final class PhysicalFloorScripts {

    private static final String[] CLAIM_PARAMETERS = {
        ":scope", ":key", ":fingerprint", ":token", ":lease_end", ":lease_end", ":now", ":scope", ":key"
    };

    private static final String[] COMPLETE_PARAMETERS = {
        ":expires", ":status", ":headers", ":body", ":omitted", ":scope", ":key", ":token"
    };

    /** The business table of the transactional scripts, apart from the application's. */
    private static final String PHYSICAL_ORDERS = "bench_physical_order";

    private static final String PHYSICAL_ORDER_IDS = PHYSICAL_ORDERS + "_id";

    /** The business row's values: a sequence's next value for the id, as the application counts its own. */
    private static final String[] ORDER_PARAMETERS = {
        "nextval('" + PHYSICAL_ORDER_IDS + "')", ":key", "'customer-0042'", "5000", "'USD'", "3"
    };

    private static final String NEW_KEY = "\\set key random(1, 9000000000000000000)\n";

    private PhysicalFloorScripts() {}

    /**
     * Writes the files.
     * @param args the directory to write into
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), System.currentTimeMillis());
    }

    /**
     * Writes the files.
     * @param directory where to write them, created when missing
     * @param now the claims' creation time, epoch milliseconds
     * @throws IOException if a file cannot be written
     */
    static void write(Path directory, long now) throws IOException {
        Files.createDirectories(directory);
        JdbcStoreStatements statements = new JdbcStoreStatements(new JdbcIdempotencyStore(
                new JdbcTemplate(), FloorHarness.TABLE, Clock.systemUTC(), ExpiredLeasePolicy.TAKE_OVER));
        Files.writeString(directory.resolve("pgbench-sync.sql"), script(statements.claim(), statements.complete()));
        Files.writeString(
                directory.resolve("pgbench-async.sql"), script(statements.claimAsync(), statements.complete()));
        writeTransactionalScripts(directory, statements);
        StoredResponse response = FloorHarness.orderResponse();
        Map<String, String> defines = new LinkedHashMap<>();
        defines.put("scope", JdbcStoreStatements.scopeHash(FloorHarness.SCOPE));
        defines.put("fingerprint", FloorHarness.FINGERPRINT);
        defines.put("token", ClaimToken.random().value());
        defines.put("lease_end", Long.toString(now + FloorHarness.LEASE_MILLIS));
        defines.put("now", Long.toString(now));
        defines.put("expires", Long.toString(now + FloorHarness.TTL_MILLIS));
        defines.put("status", Integer.toString(response.status()));
        defines.put("headers", response.encodeHeaders());
        // bytea's text input: what the driver's binary parameter carries.
        defines.put("body", "\\x" + HexFormat.of().formatHex(response.body()));
        defines.put("omitted", "false");
        defines.put("one", "1");
        List<String> pairs = new ArrayList<>();
        defines.forEach((name, value) -> pairs.add(name + "=" + value));
        Files.writeString(directory.resolve("pgbench-defines"), String.join("\0", pairs));
        ClaimToken token = ClaimToken.random();
        Files.writeString(
                directory.resolve("redis.txt"),
                "record_bytes=" + RedisStoreCommands.inProgressRecord(token, FloorHarness.FINGERPRINT).length
                        + " owner_bytes=" + RedisStoreCommands.ownerHeader(token).length + " tail_bytes="
                        + RedisStoreCommands.completedTail(response).length + " lease_ms=" + FloorHarness.LEASE_MILLIS
                        + " ttl_ms=" + FloorHarness.TTL_MILLIS + "\n");
        Files.writeString(directory.resolve("redis-complete.lua"), RedisStoreCommands.completeScript());
    }

    /**
     * Returns a pgbench script: a new key, then the claim and the completion with pgbench variables for
     * their parameters.
     */
    static String script(String claim, String complete) {
        return NEW_KEY + variables(claim, CLAIM_PARAMETERS) + ";\n" + variables(complete, COMPLETE_PARAMETERS) + ";\n";
    }

    private static void writeTransactionalScripts(Path directory, JdbcStoreStatements statements) throws IOException {
        Files.writeString(
                directory.resolve("pgbench-tx-setup.sql"),
                TransactionalOrders.ddl(PHYSICAL_ORDERS) + ";\nCREATE SEQUENCE IF NOT EXISTS " + PHYSICAL_ORDER_IDS
                        + " CACHE 1000;\nTRUNCATE TABLE " + PHYSICAL_ORDERS + ";\n");
        String business = variables(TransactionalOrders.insert(PHYSICAL_ORDERS), ORDER_PARAMETERS);
        String empty = variables(TransactionalOrders.EMPTY_STATEMENT, new String[] {":one"});
        Files.writeString(directory.resolve("pgbench-tx-plain.sql"), transaction(business));
        Files.writeString(directory.resolve("pgbench-tx-empty.sql"), transaction(empty, business, empty));
        Files.writeString(
                directory.resolve("pgbench-tx-store.sql"),
                transaction(
                        variables(statements.claim(), CLAIM_PARAMETERS),
                        business,
                        variables(statements.complete(), COMPLETE_PARAMETERS)));
    }

    /**
     * Returns a pgbench script of one transaction with a new key: {@code BEGIN} in one round trip with the
     * first statement, as pgjdbc sends them, then each further statement in a round trip of its own.
     */
    static String transaction(String first, String... rest) {
        StringBuilder script = new StringBuilder(NEW_KEY)
                .append("\\startpipeline\nBEGIN;\n")
                .append(first)
                .append(";\n\\endpipeline\n");
        for (String statement : rest) {
            script.append(statement).append(";\n");
        }
        return script.append("END;\n").toString();
    }

    /** Replaces the parameters of a statement, in order, by pgbench variables or SQL expressions. */
    private static String variables(String sql, String[] values) {
        String[] parts = sql.strip().split("\\?", -1);
        if (parts.length != values.length + 1) {
            throw new IllegalStateException("Expected " + values.length + " parameters, found " + (parts.length - 1)
                    + " in the SQL; update PhysicalFloorScripts:\n" + sql);
        }
        StringBuilder script = new StringBuilder(parts[0]);
        for (int i = 0; i < values.length; i++) {
            script.append(values[i]).append(parts[i + 1]);
        }
        return script.toString();
    }
}
