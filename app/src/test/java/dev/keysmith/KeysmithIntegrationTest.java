package dev.keysmith;

import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The whole application on a random port, on embedded stores of its own: a fresh H2 event store under
 * {@code target/it-data/<random>} and an in-memory embedded MongoDB. Test classes with this annotation share
 * one application context (with MockMvc, for the UI tests), so each test makes its own tenant (emails from
 * {@link TestData}). A test class that needs other settings gets a context of its own: it should close it when it
 * ends ({@code @DirtiesContext}), so its schedulers and workers do not run on beside the rest of the suite.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "keysmith.data-dir=target/it-data/${random.uuid}",
        "keysmith.embedded-mongo=memory",
        "keysmith.keys.management-per-minute=100000",
        "keysmith.keys.certs-token=test-certs-token",
        "keysmith.keys.expiry-sweep=1s",
        "keysmith.keys.usage-flush=500ms",
        "keysmith.webhooks.allow-insecure-targets=true",
        "keysmith.webhooks.retry-schedule=0s,300ms,300ms,300ms",
        "keysmith.webhooks.throttled-minimum-delay=1s",
        "keysmith.webhooks.timeout=2s",
        "keysmith.webhooks.poll-interval=100ms",
        "keysmith.audit.replay-operators=" + KeysmithIntegrationTest.REPLAY_OPERATOR})
@AutoConfigureMockMvc
public @interface KeysmithIntegrationTest {

    /** The one member (by email) who may start replays in the shared test context; signed up by the replay test. */
    String REPLAY_OPERATOR = "replay-operator@example.test";
}
