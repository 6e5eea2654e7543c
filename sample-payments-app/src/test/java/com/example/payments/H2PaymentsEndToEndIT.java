package com.example.payments;

import java.net.URI;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The end-to-end suite against the default profile: H2 in memory, JDBC idempotency store.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.gateway.latency=1s")
class H2PaymentsEndToEndIT extends PaymentsEndToEndIT {

    @LocalServerPort
    private int port;

    @Override
    protected URI baseUri() {
        return URI.create("http://localhost:" + this.port);
    }
}
