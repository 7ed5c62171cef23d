package dev.keysmith.webhooks.delivery;

import org.apache.hc.client5.http.DnsResolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * The HTTP client's only way from a host name to addresses: every address is checked by the {@link TargetGuard}
 * and the client connects to exactly those, so the checked address is the connected one (no DNS-rebinding gap).
 * TLS still verifies the certificate against the host name of the URL.
 */
final class GuardedDnsResolver implements DnsResolver {

    private final TargetGuard guard;

    GuardedDnsResolver(TargetGuard guard) {
        this.guard = guard;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return guard.resolve(host);
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        return Arrays.stream(guard.resolve(host)).map(address -> new InetSocketAddress(address, port)).toList();
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }
}
