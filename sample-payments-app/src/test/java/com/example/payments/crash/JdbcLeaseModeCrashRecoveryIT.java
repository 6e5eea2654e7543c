package com.example.payments.crash;

import java.util.List;

/**
 * Crashes in the JDBC store's lease mode on PostgreSQL, payments in the same database.
 */
class JdbcLeaseModeCrashRecoveryIT extends AbstractLeaseModeCrashRecoveryIT {

    JdbcLeaseModeCrashRecoveryIT() {
        super("JDBC (PostgreSQL)");
    }

    @Override
    protected List<String> storeArguments() {
        return List.of("--spring.profiles.active=postgres");
    }

    @Override
    protected RecordState recordState(String key) {
        return jdbcRecordState(key);
    }
}
