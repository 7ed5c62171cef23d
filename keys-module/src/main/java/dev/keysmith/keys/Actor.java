package dev.keysmith.keys;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Who causes a change, and from where: a member (UI), an API key, or the system (bootstrap, sweepers). The web
 * layer binds the actor of each request with {@link #runAs}; every command dispatched meanwhile carries it as
 * metadata, and Axon copies that metadata onto every event the command produces (see {@link #METADATA_KEYS}).
 */
public record Actor(String id, Type type, String ip, String userAgent, String correlationId) {

    public enum Type { MEMBER, API_KEY, SYSTEM, VISITOR }

    /** The metadata keys every stored event carries, besides {@code tenantId}. */
    public static final String ACTOR = "actor";
    public static final String ACTOR_TYPE = "actorType";
    public static final String IP = "ip";
    public static final String USER_AGENT = "userAgent";
    public static final String CORRELATION_ID = "correlationId";
    public static final String TENANT_ID = "tenantId";
    public static final String[] METADATA_KEYS = {TENANT_ID, ACTOR, ACTOR_TYPE, IP, USER_AGENT, CORRELATION_ID};

    private static final ThreadLocal<Actor> CURRENT = new ThreadLocal<>();

    public Actor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        correlationId = correlationId != null ? correlationId : UUID.randomUUID().toString();
    }

    public static Actor system(String what) {
        return new Actor(what, Type.SYSTEM, null, null, null);
    }

    /** The actor bound to this thread, or the unnamed system actor. */
    public static Actor current() {
        Actor actor = CURRENT.get();
        return actor != null ? actor : system("system");
    }

    /** Binds the actor to this thread until the returned scope is closed (then the previous one is back). */
    public static Scope bind(Actor actor) {
        Actor previous = CURRENT.get();
        CURRENT.set(actor);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** A binding of an actor to a thread; closing it restores the previous binding. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    public static <T> T runAs(Actor actor, Supplier<T> work) {
        try (Scope ignored = bind(actor)) {
            return work.get();
        }
    }

    public static void runAs(Actor actor, Runnable work) {
        runAs(actor, () -> {
            work.run();
            return null;
        });
    }

    /** This actor as event metadata (without the tenant, which the command itself names). */
    public Map<String, String> asMetadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(ACTOR, id);
        metadata.put(ACTOR_TYPE, type.name().toLowerCase());
        if (ip != null) {
            metadata.put(IP, ip);
        }
        if (userAgent != null) {
            metadata.put(USER_AGENT, userAgent.length() > 256 ? userAgent.substring(0, 256) : userAgent);
        }
        metadata.put(CORRELATION_ID, correlationId);
        return metadata;
    }
}
