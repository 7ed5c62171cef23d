package dev.keysmith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A throwaway schema on the CI PostgreSQL server ({@code KEYSMITH_TEST_POSTGRES_URL}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, as {@code KEYSMITH_TEST_POSTGRES_USER}, default {@code postgres},
 * with {@code KEYSMITH_TEST_POSTGRES_PASSWORD}), so that runs do not see each other's events; dropped on close.
 * {@link #unavailable()} says why tests must skip when no server answers.
 */
final class TestPostgres implements AutoCloseable {

    static final String BASE_URL = env("KEYSMITH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = env("KEYSMITH_TEST_POSTGRES_USER", "postgres");
    static final String PASSWORD = env("KEYSMITH_TEST_POSTGRES_PASSWORD", "");

    final String schema;
    final String url;

    private TestPostgres(String schema) {
        this.schema = schema;
        this.url = BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Null when PostgreSQL answers, else why not. */
    static String unavailable() {
        DriverManager.setLoginTimeout(5);
        try (Connection ignored = DriverManager.getConnection(BASE_URL, USER, PASSWORD)) {
            return null;
        } catch (SQLException e) {
            return "No PostgreSQL at " + BASE_URL + " (" + e.getMessage() + ")";
        }
    }

    static TestPostgres freshSchema() throws SQLException {
        String schema = "ks_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(BASE_URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return new TestPostgres(schema);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, USER, PASSWORD);
    }

    @Override
    public void close() throws SQLException {
        try (Connection connection = DriverManager.getConnection(BASE_URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
