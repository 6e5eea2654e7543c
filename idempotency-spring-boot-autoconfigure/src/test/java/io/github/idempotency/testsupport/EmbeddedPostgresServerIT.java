package io.github.idempotency.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idempotency.testsupport.PostgresTestDatabase.ConnectionDetails;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL, the last source the tests try, started here whatever source the other tests use,
 * so that the fallback is known to work before a machine without any other needs it.
 */
class EmbeddedPostgresServerIT {

    @Test
    void connectionDetailsWhenAskedTwiceThenStartsOneServer() throws Exception {
        ConnectionDetails first = EmbeddedPostgresServer.connectionDetails();
        ConnectionDetails second = EmbeddedPostgresServer.connectionDetails();

        assertThat(second).isEqualTo(first);
        try (Connection connection = DriverManager.getConnection(first.url(), first.username(), first.password());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT 1")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void embeddedServerRunsTheMajorVersionOfTheContainerImage() throws Exception {
        ConnectionDetails server = EmbeddedPostgresServer.connectionDetails();
        // postgres:17-alpine → 17
        String imageMajor = TestImages.POSTGRES.replaceAll("^postgres:(\\d+).*$", "$1");

        try (Connection connection = DriverManager.getConnection(server.url(), server.username(), server.password());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SHOW server_version_num")) {
            assertThat(row.next()).isTrue();
            assertThat(Integer.parseInt(row.getString(1)) / 10000).isEqualTo(Integer.parseInt(imageMajor));
        }
    }
}
