package dev.keysmith.web.security;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.KeyIndex;
import dev.keysmith.keys.RequestLogs;
import dev.keysmith.keys.UsageRecorder;
import dev.keysmith.keys.Verification;
import dev.keysmith.web.api.Problems;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.servletapi.SecurityContextHolderAwareRequestFilter;
import org.springframework.security.web.session.DisableEncodeUrlFilter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import java.util.Map;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * People sign in with a form (email and password, throttled) and keep a session; every form carries a CSRF token.
 * What each role may do is decided here, on the server: Owners manage members and settings; everything else a
 * signed-in member may read, and the write endpoints check the role again.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@ConditionalOnWebApplication
class SecurityConfiguration {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    LoginThrottle loginThrottle() {
        return new LoginThrottle();
    }

    /** The one authentication provider (being a bean, it also keeps Boot from creating a default user). */
    @Bean
    ThrottlingAuthenticationProvider memberAuthentication(MemberDetailsService members, PasswordEncoder passwords,
                                                          LoginThrottle throttle) {
        return new ThrottlingAuthenticationProvider(members, passwords, throttle);
    }

    /**
     * The API: no sessions, no CSRF (no cookies are read), every request authenticated by its API key in
     * {@link ApiKeyAuthenticationFilter}, which answers refusals itself as problem+json.
     */
    /**
     * A URL the firewall refuses (a doubled slash, i.e. an empty id; encoded dots or slashes): problem+json on the
     * API, like every other API error; the error page elsewhere.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler(Problems problems) {
        RequestRejectedHandler page = new HttpStatusRequestRejectedHandler();
        return (request, response, rejected) -> {
            if (request.getRequestURI().startsWith("/api/")) {
                problems.write(request, response, 400, "invalid_request", "This URL is not accepted ("
                        + rejected.getMessage() + "): check for a doubled slash, an empty id or encoded dots.", Map.of());
            } else {
                page.handle(request, response, rejected);
            }
        };
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, Verification verification, ClientIpResolver clientIp,
                                    Problems problems, UsageRecorder usage, RequestLogs requestLogs,
                                    KeyIndex keyIndex,
                                    @Value("${keysmith.request-log.enabled:true}") boolean requestLogEnabled)
            throws Exception {
        if (requestLogEnabled) {
            http.addFilterBefore(new RequestLogFilter(requestLogs, keyIndex, clientIp), DisableEncodeUrlFilter.class);
        }
        http
            .securityMatcher("/api/**")
            .csrf(csrf -> csrf.disable())
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache(cache -> cache.disable())
            .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
            .anonymous(anonymous -> anonymous.disable())
            .formLogin(form -> form.disable())
            .httpBasic(basic -> basic.disable())
            .logout(logout -> logout.disable())
            .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
            .headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
            .addFilterBefore(new BodySizeLimitFilter(problems), SecurityContextHolderAwareRequestFilter.class)
            .addFilterBefore(new ApiKeyAuthenticationFilter(verification, clientIp, problems, usage),
                    SecurityContextHolderAwareRequestFilter.class)
            .addFilterAfter(new RequestActorFilter(clientIp), AuthorizationFilter.class);
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain uiSecurity(HttpSecurity http, Accounts accounts, MemberDetailsService members,
                                   ClientIpResolver clientIp) throws Exception {
        http
            .authorizeHttpRequests(auth -> auth
                .requestMatchers("/signup", "/login", "/error", "/webjars/**", "/css/**", "/js/**", "/favicon.ico",
                        "/actuator/health", "/actuator/health/**", "/docs/**", "/v3/api-docs", "/v3/api-docs/**",
                        "/swagger-ui.html", "/swagger-ui/**").permitAll()
                .requestMatchers("/members/**", "/settings/**").hasRole("OWNER")
                .requestMatchers("/audit/replay", "/audit/replay/**").hasRole("OWNER")
                .requestMatchers("/audit", "/audit/**").hasAnyRole("OWNER", "AUDITOR")
                .anyRequest().authenticated())
            .formLogin(form -> form
                .loginPage("/login")
                .usernameParameter("email")
                .defaultSuccessUrl("/", false)
                .failureHandler(failureHandler())
                .permitAll())
            .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?signedOut").permitAll())
            .headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(CSP))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
            .addFilterBefore(new MemberSessionFilter(accounts, members), ExceptionTranslationFilter.class)
            .addFilterAfter(new RequestActorFilter(clientIp), AuthorizationFilter.class);
        return http.build();
    }

    private static AuthenticationFailureHandler failureHandler() {
        return (request, response, exception) -> {
            String target = "/login?error";
            if (exception instanceof ThrottlingAuthenticationProvider.ThrottledException throttled) {
                long minutes = Math.max(1, (throttled.retryAfter().toSeconds() + 59) / 60);
                target = "/login?throttled=" + minutes;
            }
            response.sendRedirect(request.getContextPath() + target);
        };
    }
}
