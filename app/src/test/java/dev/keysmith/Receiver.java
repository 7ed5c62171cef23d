package dev.keysmith;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * A webhook subscriber for tests: a real HTTP server on 127.0.0.1 that records every request (path, headers, raw
 * body) and answers each path with a script of responses (status, Retry-After, delay), then 200 forever.
 */
final class Receiver implements AutoCloseable {

    record Request(String path, Map<String, String> headers, String body, Instant at) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    record Response(int status, String retryAfter, Duration delay) {
        static Response status(int status) {
            return new Response(status, null, Duration.ZERO);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Response>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Response> always = new ConcurrentHashMap<>();
    private final Map<String, String> bodies = new ConcurrentHashMap<>();

    Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(path, headers, body, Instant.now()));
            Deque<Response> script = scripts.get(path);
            Response response = script != null && !script.isEmpty() ? script.poll()
                    : always.getOrDefault(path, Response.status(200));
            if (!response.delay().isZero()) {
                try {
                    Thread.sleep(response.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (response.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", response.retryAfter());
            }
            byte[] answer = bodies.getOrDefault(path, "answer " + response.status()).getBytes(StandardCharsets.UTF_8);
            try {
                exchange.sendResponseHeaders(response.status(), answer.length);
                exchange.getResponseBody().write(answer);
            } catch (IOException clientGone) {
                // the sender timed out and closed the connection
            }
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests to this path get these answers, in order; then 200 (or what {@link #always} says). */
    Receiver script(String path, Response... responses) {
        scripts.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>()).addAll(List.of(responses));
        return this;
    }

    Receiver always(String path, Response response) {
        always.put(path, response);
        return this;
    }

    /** Answers this path with this body (instead of "answer &lt;status&gt;"), e.g. to see how a response excerpt is shown. */
    Receiver body(String path, String body) {
        bodies.put(path, body);
        return this;
    }

    Receiver clear(String path) {
        always.remove(path);
        scripts.remove(path);
        bodies.remove(path);
        return this;
    }

    List<Request> requests(String path) {
        List<Request> matching = new ArrayList<>();
        for (Request request : requests) {
            if (request.path().equals(path)) {
                matching.add(request);
            }
        }
        return matching;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
