package dev.keysmith;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.jdbc.config.annotation.web.http.EnableJdbcHttpSession;

import java.time.Duration;

/**
 * Web sessions in the relational store ({@code SPRING_SESSION}, Flyway V4), so that a load balancer needs no sticky
 * sessions: a member signed in through one node is signed in on every node. On with
 * {@code KEYSMITH_SHARED_SESSIONS=true}; off by default (sessions stay in the node's memory, as a single node needs).
 * The cookie is then {@code SESSION} instead of {@code JSESSIONID}; the idle timeout stays
 * {@code server.servlet.session.timeout}. Spring Boot's own session auto-configuration is excluded
 * ({@link KeysmithApplication}) so that the dependency alone changes nothing.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "keysmith.shared-sessions", havingValue = "true")
@EnableJdbcHttpSession
class SharedSessions {

    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> sessionTimeout(ServerProperties server) {
        Duration timeout = server.getServlet().getSession().getTimeout();
        return repository -> repository.setDefaultMaxInactiveInterval(timeout != null ? timeout : Duration.ofHours(8));
    }
}
