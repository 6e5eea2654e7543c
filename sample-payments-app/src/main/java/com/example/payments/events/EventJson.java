package com.example.payments.events;

import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The events' wire form: JSON written by the application's mapper, the same in the outbox, on Kafka and for
 * the in-process consumer, so that both ways of delivery hand the consumer the same event.
 */
@Component
public class EventJson {

    private final JsonMapper mapper;

    /**
     * Creates the codec.
     * @param mapper the application's JSON mapper
     */
    public EventJson(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Writes an event.
     * @param event the event
     * @return its JSON form
     */
    public String write(PaymentSucceeded event) {
        return this.mapper.writeValueAsString(event);
    }

    /**
     * Reads an event.
     * @param json the JSON form
     * @return the event
     * @throws tools.jackson.core.JacksonException if the JSON is not a {@link PaymentSucceeded}
     */
    public PaymentSucceeded read(String json) {
        return this.mapper.readValue(json, PaymentSucceeded.class);
    }
}
