package com.example.payments.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the simulated card gateway.
 *
 * @param latency how long every charge takes, to simulate a slow network
 */
@ConfigurationProperties("sample.gateway")
public record GatewayProperties(@DefaultValue("0") Duration latency) {}
