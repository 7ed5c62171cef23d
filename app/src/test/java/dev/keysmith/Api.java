package dev.keysmith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small JSON client for the API over real HTTP. */
final class Api {

    record Response(int status, HttpResponse<String> raw, JsonNode json) {
        String code() {
            return json.path("code").asText(null);
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    Api(int port) {
        this("http://127.0.0.1:" + port);
    }

    Api(String base) {
        this.base = base;
    }

    Response get(String path, String key) {
        return send("GET", path, key, null, Map.of());
    }

    Response post(String path, String key, Object body) {
        return send("POST", path, key, body, Map.of());
    }

    Response patch(String path, String key, Object body) {
        return send("PATCH", path, key, body, Map.of());
    }

    Response delete(String path, String key) {
        return send("DELETE", path, key, null, Map.of());
    }

    /** Sends a request; the key (if any) as a Bearer header, extra headers as given, the body as JSON. */
    Response send(String method, String path, String key, Object body, Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
            if (key != null) {
                SecretRegistry.add(key);
                request.header("Authorization", "Bearer " + key);
            }
            headers.forEach(request::header);
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                String text = body instanceof String string ? string : JSON.writeValueAsString(body);
                request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text));
            }
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? JSON.nullNode() : parse(response.body());
            if (json.isContainerNode()) {
                SecretRegistry.collect(json);
            }
            return new Response(response.statusCode(), response, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException notJson) {
            return JSON.getNodeFactory().textNode(body);
        }
    }
}
