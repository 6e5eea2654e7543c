package com.example.payments.events;

/**
 * The relay on H2, the default profile's database, where one relay is the only one: H2 counts the rows that
 * another transaction holds against a batch's limit, so a second relay on one H2 database may find nothing
 * to do while the first holds the oldest events, though it still never delivers them.
 */
class H2EventRelayTests extends AbstractEventRelayTests {

    @Override
    OutboxTestDatabase createDatabase() {
        return OutboxTestDatabase.h2();
    }
}
