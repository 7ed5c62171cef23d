package dev.keysmith;

import dev.keysmith.keys.RequestLogs;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The request log's state for the operator: Micrometer meters ({@code keysmith.request_log.dropped},
 * {@code .unattributed}, {@code .written}, {@code .buffered}) and a {@code requestLog} health component. The
 * component stays UP (a full buffer or an unreachable store never stops verification); its details say what was
 * dropped and why writes fail.
 */
@Configuration(proxyBeanMethods = false)
class RequestLogMonitoring {

    RequestLogMonitoring(MeterRegistry registry, RequestLogs logs) {
        FunctionCounter.builder("keysmith.request_log.dropped", logs, l -> l.status().dropped())
                .description("Request-log records dropped because the buffer was full").register(registry);
        FunctionCounter.builder("keysmith.request_log.unattributed", logs, l -> l.status().unattributed())
                .description("API requests that identified no tenant (kept in no tenant's log)").register(registry);
        FunctionCounter.builder("keysmith.request_log.written", logs, l -> l.status().written())
                .description("Request-log records stored").register(registry);
        Gauge.builder("keysmith.request_log.buffered", logs, l -> l.status().buffered())
                .description("Request-log records waiting to be written").register(registry);
    }

    @Bean
    AbstractHealthIndicator requestLogHealthIndicator(RequestLogs logs) {
        return new AbstractHealthIndicator("Request log status unavailable") {
            @Override
            protected void doHealthCheck(Health.Builder builder) {
                RequestLogs.Status status = logs.status();
                builder.up()
                        .withDetail("buffered", status.buffered())
                        .withDetail("capacity", status.capacity())
                        .withDetail("dropped", status.dropped())
                        .withDetail("unattributed", status.unattributed())
                        .withDetail("written", status.written())
                        .withDetail("storeAvailable", status.storeAvailable());
                if (status.lastError() != null) {
                    builder.withDetail("lastError", status.lastError());
                }
            }
        };
    }
}
