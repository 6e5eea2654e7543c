package io.github.idempotency.store.jdbc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.SqlProvider;

/**
 * A {@link JdbcTemplate} that records the SQL of every statement it runs, prepared or plain, to count a
 * store's round trips: each statement is one.
 */
class RecordingJdbcTemplate extends JdbcTemplate {

    private final List<String> statements = new CopyOnWriteArrayList<>();

    RecordingJdbcTemplate(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    public <T> T execute(PreparedStatementCreator creator, PreparedStatementCallback<T> action)
            throws DataAccessException {
        this.statements.add(((SqlProvider) creator).getSql());
        return super.execute(creator, action);
    }

    @Override
    public void execute(String sql) throws DataAccessException {
        this.statements.add(sql);
        super.execute(sql);
    }

    /**
     * Returns the statements run since the last {@link #clear()}, in order.
     * @return their SQL
     */
    List<String> statements() {
        return List.copyOf(this.statements);
    }

    void clear() {
        this.statements.clear();
    }
}
