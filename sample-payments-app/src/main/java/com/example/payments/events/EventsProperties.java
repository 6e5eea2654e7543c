package com.example.payments.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Settings of the event relay.
 *
 * @param pollInterval time from the end of one relay batch to the start of the next
 * @param deliveryCopies how many times the relay delivers every event, as a broker that redelivers would;
 * more than one shows the consumer absorbing duplicates
 * @param batchSize most events one relay batch takes
 */
@ConfigurationProperties("sample.events")
public record EventsProperties(
        @DefaultValue("200ms") Duration pollInterval,
        @DefaultValue("1") int deliveryCopies,
        @DefaultValue("100") int batchSize) {

    public EventsProperties {
        if (pollInterval.toMillis() < 1) {
            throw new InvalidConfigurationPropertyValueException(
                    "sample.events.poll-interval", pollInterval, "Must be at least a millisecond.");
        }
        if (deliveryCopies < 1) {
            throw new InvalidConfigurationPropertyValueException(
                    "sample.events.delivery-copies", deliveryCopies, "Must be at least 1.");
        }
        if (batchSize < 1) {
            throw new InvalidConfigurationPropertyValueException(
                    "sample.events.batch-size", batchSize, "Must be at least 1.");
        }
    }
}
