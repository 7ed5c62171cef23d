package dev.keysmith.web.security;

import dev.keysmith.keys.IpAllowlist;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The caller's IP address: the socket's peer, unless that peer is one of the configured trusted proxies
 * ({@code KEYSMITH_TRUSTED_PROXIES}, comma-separated addresses or CIDRs), in which case the right-most address in
 * {@code X-Forwarded-For} that is not itself a trusted proxy. A forged {@code X-Forwarded-For} from anyone else
 * is ignored.
 */
@Component
public class ClientIpResolver {

    private final IpAllowlist trustedProxies;

    ClientIpResolver(@Value("${keysmith.trusted-proxies:}") String trustedProxies) {
        this.trustedProxies = IpAllowlist.parseText(trustedProxies);
    }

    public InetAddress resolve(HttpServletRequest request) {
        InetAddress peer = parse(request.getRemoteAddr());
        if (peer == null || trustedProxies.isAnywhere() || !trustedProxies.allows(peer)) {
            return peer;
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return peer;
        }
        List<String> hops = List.of(forwarded.split(","));
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = parse(hops.get(i).strip());
            if (hop == null) {
                return peer;
            }
            if (!trustedProxies.allows(hop)) {
                return hop;
            }
        }
        return peer;
    }

    /** A literal IPv4 or IPv6 address (never a host name: no DNS lookups here), or null. */
    static InetAddress parse(String literal) {
        if (literal == null || literal.isEmpty() || literal.length() > 45
                || !literal.matches("[0-9A-Fa-f:.]+|\\[[0-9A-Fa-f:.]+]")) {
            return null;
        }
        try {
            return InetAddress.getByName(literal.startsWith("[") ? literal.substring(1, literal.length() - 1) : literal);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
