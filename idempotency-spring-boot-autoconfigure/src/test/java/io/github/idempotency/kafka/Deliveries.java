package io.github.idempotency.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Counts what the listener container did with each record, by the record's key (the event's id): how often
 * it handed it to the listener, and how each call ended. It sees every delivery, including those that the
 * idempotent listener answers from its record without running, so a test can prove a redelivery happened.
 * It outlives the application contexts it is registered in, so it counts across consumers.
 */
final class Deliveries implements RecordInterceptor<Object, Object> {

    /** The outcome of a call that returned. */
    static final String SUCCEEDED = "succeeded";

    private final Map<Object, List<String>> outcomes = new HashMap<>();

    @Override
    public ConsumerRecord<Object, Object> intercept(
            ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        return record;
    }

    @Override
    public synchronized void success(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        add(record.key(), SUCCEEDED);
    }

    @Override
    public synchronized void failure(
            ConsumerRecord<Object, Object> record, Exception exception, Consumer<Object, Object> consumer) {
        add(record.key(), outcome(exception));
    }

    /**
     * Names how a call that threw ended: the simple name of the exception's innermost cause, such as
     * {@code IdempotencyInProgressException}, which the container wraps.
     * @param exception what the call threw
     * @return the name
     */
    static String outcome(Exception exception) {
        return NestedExceptionUtils.getMostSpecificCause(exception).getClass().getSimpleName();
    }

    /**
     * Returns how the listener's calls for an event ended, in order: {@link #SUCCEEDED} or the simple name of
     * the exception thrown.
     * @param eventId the event's id
     * @return the outcomes so far
     */
    synchronized List<String> of(String eventId) {
        return List.copyOf(this.outcomes.getOrDefault(eventId, List.of()));
    }

    /**
     * Waits until the listener has returned for an event a number of times.
     * @param eventId the event's id
     * @param count how many calls must have returned
     * @param timeout how long to wait at most
     * @throws AssertionError if they do not in time
     */
    synchronized void awaitSucceeded(String eventId, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (succeeded(eventId) < count) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new AssertionError("The listener returned " + succeeded(eventId) + " times for event " + eventId
                        + " within " + timeout + ", not " + count + "; its calls: " + of(eventId));
            }
            wait(Math.max(1, remaining / 1_000_000));
        }
    }

    private int succeeded(String eventId) {
        return (int) of(eventId).stream().filter(SUCCEEDED::equals).count();
    }

    private void add(Object key, String outcome) {
        this.outcomes.computeIfAbsent(key, (ignored) -> new ArrayList<>()).add(outcome);
        notifyAll();
    }
}
