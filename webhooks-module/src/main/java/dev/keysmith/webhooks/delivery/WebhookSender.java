package dev.keysmith.webhooks.delivery;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends one webhook attempt: a POST of the exact body with the given headers, through Apache HttpClient 5 whose
 * DNS resolution goes through the {@link TargetGuard}. No redirects (a 3xx is a failure), no retries inside the
 * client, no connection reuse, no proxy; the whole attempt (connect, send, response) is cut at the timeout; at most
 * {@link #EXCERPT_BYTES} of the response are read.
 */
public final class WebhookSender implements AutoCloseable {

    public static final int EXCERPT_BYTES = 1024;

    /** What came of one attempt: the status (null without a response), latency, excerpt, error, Retry-After. */
    public record Outcome(Integer statusCode, long latencyMillis, String responseExcerpt, String error,
                          boolean timedOut, String retryAfter) {

        public boolean succeeded() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    private final TargetGuard guard;
    private final Duration timeout;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "webhook-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    public WebhookSender(TargetGuard guard, Duration timeout) {
        this.guard = guard;
        this.timeout = timeout;
        Timeout limit = Timeout.of(timeout);
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedDnsResolver(guard))
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(limit).setSocketTimeout(limit)
                        .build())
                .setMaxConnTotal(64).setMaxConnPerRoute(8)
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .setConnectionReuseStrategy((request, response, context) -> false)
                .setDefaultRequestConfig(RequestConfig.custom().setRedirectsEnabled(false).setResponseTimeout(limit)
                        .setConnectionRequestTimeout(limit).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent("Keysmith-Webhooks/1.0")
                .build();
    }

    public Outcome send(String url, Map<String, String> headers, String body) {
        long started = System.nanoTime();
        URI uri;
        try {
            uri = new URI(url);
            guard.check(uri);
        } catch (URISyntaxException e) {
            return new Outcome(null, 0, null, "Invalid URL: " + e.getReason(), false, null);
        } catch (TargetGuard.Blocked blocked) {
            return new Outcome(null, 0, null, "Blocked: " + blocked.getMessage(), false, null);
        }
        HttpPost post = new HttpPost(uri);
        headers.forEach(post::setHeader);
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        ScheduledFuture<?> deadline = deadlines.schedule(post::cancel, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (ClassicHttpResponse response = client.executeOpen(null, post, null)) {
            int status = response.getCode();
            String excerpt = excerpt(response.getEntity());
            Header retryAfter = response.getFirstHeader("Retry-After");
            String error = status >= 300 && status < 400 ? "Redirect (" + status + ") not followed"
                    + (response.getFirstHeader("Location") != null ? " to " + abbreviate(response.getFirstHeader("Location").getValue()) : "")
                    : null;
            return new Outcome(status, millisSince(started), excerpt, error, false,
                    retryAfter == null ? null : retryAfter.getValue());
        } catch (TargetGuard.Blocked blocked) {
            return new Outcome(null, millisSince(started), null, "Blocked: " + blocked.getMessage(), false, null);
        } catch (SocketTimeoutException e) {
            return new Outcome(null, millisSince(started), null, "Timed out after " + timeout.toSeconds() + " s ("
                    + e.getClass().getSimpleName() + ")", true, null);
        } catch (InterruptedIOException e) {
            return new Outcome(null, millisSince(started), null, post.isCancelled()
                    ? "Timed out: no complete response within " + timeout.toSeconds() + " s" : "Interrupted", post.isCancelled(), null);
        } catch (IOException e) {
            if (post.isCancelled()) {
                return new Outcome(null, millisSince(started), null,
                        "Timed out: no complete response within " + timeout.toSeconds() + " s", true, null);
            }
            return new Outcome(null, millisSince(started), null, e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + abbreviate(e.getMessage()) : ""), false, null);
        } finally {
            deadline.cancel(false);
        }
    }

    private static String excerpt(HttpEntity entity) throws IOException {
        if (entity == null) {
            return "";
        }
        // not closed here: closing the stream would drain the rest; closing the response drops the connection
        InputStream in = entity.getContent();
        if (in == null) {
            return "";
        }
        // a multi-byte character cut at the limit becomes U+FFFD, which is fine for an excerpt
        return new String(in.readNBytes(EXCERPT_BYTES), StandardCharsets.UTF_8);
    }

    private static String abbreviate(String value) {
        return value.length() > 200 ? value.substring(0, 200) + "…" : value;
    }

    private static long millisSince(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }
}
