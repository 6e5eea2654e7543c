package io.github.idempotency.web;

import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the HTTP tests of {@link WebTestApplication} share: its server, its endpoints' run counters, and
 * its store, healed after every test.
 */
abstract class WebIntegrationTestSupport {

    @LocalServerPort
    int port;

    @Autowired
    WebTestApplication.Endpoints endpoints;

    @Autowired
    FaultyStore store;

    @AfterEach
    void healStore() {
        this.store.heal();
    }

    TestHttpClient client() {
        return new TestHttpClient(this.port);
    }
}
