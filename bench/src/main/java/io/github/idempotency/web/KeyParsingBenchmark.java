package io.github.idempotency.web;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Parsing the {@code Idempotency-Key} header: a bare UUID, and the same UUID as a structured-field string.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KeyParsingBenchmark {

    private final IdempotencyKeyParser parser = new IdempotencyKeyParser(255);

    private final List<String> bare = List.of("5f1c2a9e-7b3d-4c8e-9a61-0d2f4b6c8e1a");

    private final List<String> quoted = List.of("\"5f1c2a9e-7b3d-4c8e-9a61-0d2f4b6c8e1a\"");

    /**
     * Parses a bare key.
     * @return the result
     */
    @Benchmark
    public IdempotencyKeyParser.Result parseBareKey() {
        return this.parser.parse(Collections.enumeration(this.bare));
    }

    /**
     * Parses a quoted key.
     * @return the result
     */
    @Benchmark
    public IdempotencyKeyParser.Result parseQuotedKey() {
        return this.parser.parse(Collections.enumeration(this.quoted));
    }
}
