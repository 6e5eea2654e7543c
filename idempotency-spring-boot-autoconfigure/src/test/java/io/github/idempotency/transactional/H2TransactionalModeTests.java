package io.github.idempotency.transactional;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The transactional mode on the embedded H2 database.
 */
@SpringBootTest(
        classes = TransactionalTestApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.datasource.generate-unique-name=true",
            "idempotency.store.type=jdbc",
            "test.orders-ddl=CREATE TABLE orders (id IDENTITY PRIMARY KEY, ref VARCHAR(64) NOT NULL)"
        })
class H2TransactionalModeTests extends TransactionalModeTests {}
