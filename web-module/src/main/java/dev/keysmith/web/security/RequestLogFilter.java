package dev.keysmith.web.security;

import dev.keysmith.keys.IpAllowlist;
import dev.keysmith.keys.KeyIndex;
import dev.keysmith.keys.RequestLogEntry;
import dev.keysmith.keys.RequestLogs;
import dev.keysmith.keys.TenantId;
import dev.keysmith.keys.VerifiedKey;
import dev.keysmith.web.api.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;

/**
 * First filter of the API chain: times every {@code /api/**} request and, once it is answered, hands it to the
 * request log with what {@link ApiKeyAuthenticationFilter} learned (the key, also for refusals of a known key) and
 * the problem code answered. A request with no known key goes to the log of the tenant its
 * {@code X-Access-Client-Id} names; a request that names no tenant is only counted. Recording never blocks.
 */
class RequestLogFilter extends OncePerRequestFilter {

    /** The request attribute holding the {@link VerifiedKey} the request presented (served or refused). */
    static final String KEY_ATTRIBUTE = "keysmith.requestKey";
    static final String PREFIX_ATTRIBUTE = "keysmith.requestKeyPrefix";

    private final RequestLogs logs;
    private final KeyIndex index;
    private final ClientIpResolver clientIp;

    RequestLogFilter(RequestLogs logs, KeyIndex index, ClientIpResolver clientIp) {
        this.logs = logs;
        this.index = index;
        this.clientIp = clientIp;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Instant time = Instant.now();
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            long micros = (System.nanoTime() - start) / 1_000;
            try {
                record(request, response, time, micros);
            } catch (RuntimeException e) {
                logger.warn("Could not queue a request-log record: " + e);
            }
        }
    }

    private void record(HttpServletRequest request, HttpServletResponse response, Instant time, long micros) {
        VerifiedKey key = request.getAttribute(KEY_ATTRIBUTE) instanceof VerifiedKey found ? found : null;
        TenantId tenant = key != null ? key.tenantId() : tenantByClientId(request.getHeader("X-Access-Client-Id"));
        if (tenant == null) {
            logs.unattributed();
            return;
        }
        Object code = request.getAttribute(Problems.CODE_ATTRIBUTE);
        InetAddress caller = clientIp.resolve(request);
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Object prefix = request.getAttribute(PREFIX_ATTRIBUTE);
        logs.record(RequestLogEntry.of(time, tenant, key, prefix == null ? null : prefix.toString(), request.getMethod(), path,
                response.getStatus(), code == null ? null : code.toString(), micros,
                IpAllowlist.text(caller), request.getHeader("User-Agent")));
    }

    private TenantId tenantByClientId(String clientId) {
        if (clientId == null || clientId.isBlank() || clientId.length() > 100) {
            return null;
        }
        KeyIndex.TenantEntry entry = index.tenantByClientId(clientId.strip());
        return entry == null ? null : entry.tenantId();
    }
}
