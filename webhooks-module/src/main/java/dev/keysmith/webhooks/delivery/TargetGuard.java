package dev.keysmith.webhooks.delivery;

import dev.keysmith.keys.IpAllowlist;
import dev.keysmith.keys.KeysmithException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The SSRF guard: which URLs an endpoint may have and which addresses a delivery may connect to. Only
 * {@code https://} to public addresses, unless insecure targets are allowed (local development and tests), which
 * adds {@code http://} and loopback, nothing else. A host name is resolved and refused when ANY of its addresses
 * is not public; the sender then connects only to the checked addresses (see {@link GuardedDnsResolver}), so DNS
 * cannot change between the check and the connection.
 */
public final class TargetGuard {

    /** How a host name becomes addresses (the system resolver; tests may substitute a fixed table). */
    @FunctionalInterface
    public interface Dns {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A refused target; an {@link UnknownHostException} so that HTTP clients fail the connection with it. */
    public static final class Blocked extends UnknownHostException {
        public Blocked(String message) {
            super(message);
        }
    }

    private static final Pattern DOTTED_QUAD = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern NUMERIC_LABEL = Pattern.compile("0[xX][0-9a-fA-F]*|[0-9]+");
    private static final int MAX_URL = 2048;

    private final boolean allowInsecure;
    private final Dns dns;

    public TargetGuard(boolean allowInsecure, Dns dns) {
        this.allowInsecure = allowInsecure;
        this.dns = dns;
    }

    public TargetGuard(boolean allowInsecure) {
        this(allowInsecure, InetAddress::getAllByName);
    }

    public boolean allowsInsecure() {
        return allowInsecure;
    }

    /**
     * Checks an endpoint URL as typed and returns it normalised, or refuses it with a field error ({@code url})
     * that says what is wrong. Resolves the host now; the sender checks again at every attempt.
     */
    public String validate(String raw) {
        if (raw == null || raw.isBlank()) {
            throw invalid("Enter the URL that should receive the webhooks (https://...).");
        }
        String value = raw.strip();
        if (value.length() > MAX_URL) {
            throw invalid("The URL is longer than " + MAX_URL + " characters.");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw invalid("This is not a valid URL: " + e.getReason() + ".");
        }
        try {
            check(uri);
            resolve(uri.getHost());
        } catch (Blocked blocked) {
            throw invalid(blocked.getMessage());
        } catch (UnknownHostException unknown) {
            throw invalid("The host " + uri.getHost() + " does not resolve: check the spelling.");
        }
        return uri.normalize().toString();
    }

    /** The checks that need no DNS: scheme, credentials, host form, port. */
    public void check(URI uri) throws Blocked {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new Blocked("The URL must start with https://.");
        }
        if (scheme.equals("http") && !allowInsecure) {
            throw new Blocked("Only https:// URLs are allowed: webhooks carry signed data that must not travel in clear.");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            throw new Blocked("The URL must not contain a user name or password.");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new Blocked("The URL has no valid host name.");
        }
        if (uri.getRawFragment() != null) {
            throw new Blocked("The URL must not contain a #fragment.");
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!bare.contains(":") && looksNumeric(bare) && !DOTTED_QUAD.matcher(bare).matches()) {
            throw new Blocked("The host " + host + " is a numeric address in an unusual form (octal, hex, a single "
                    + "number or fewer than four parts): write it as four decimal numbers, or use a host name.");
        }
        int port = uri.getPort();
        if (port == 0) {
            throw new Blocked("Port 0 is not a valid port.");
        }
    }

    /** Resolves a host and returns its addresses only when every one of them may be reached. */
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = dns.resolve(bare);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            String refusal = refusal(address, allowInsecure);
            if (refusal != null) {
                throw new Blocked("The host " + host + " resolves to " + IpAllowlist.text(address) + ", " + refusal
                        + ": webhooks are only sent to public addresses.");
            }
        }
        return Arrays.copyOf(addresses, addresses.length);
    }

    /** Why this address may not be reached (null: it may). Loopback passes only when insecure targets are allowed. */
    public static String refusal(InetAddress address, boolean allowLoopback) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            InetAddress embedded = embeddedIpv4(b);
            if (embedded != null) {
                String inner = refusal(embedded, allowLoopback);
                return inner == null ? null : "an IPv6 form of " + IpAllowlist.text(embedded) + " (" + inner + ")";
            }
            if (v6.isLoopbackAddress()) {
                return allowLoopback ? null : "a loopback address";
            }
            if (v6.isAnyLocalAddress()) {
                return "the unspecified address";
            }
            if (v6.isLinkLocalAddress() || v6.isSiteLocalAddress()) {
                return "a link-local or site-local address";
            }
            if (v6.isMulticastAddress()) {
                return "a multicast address";
            }
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return "a unique local (private) address";
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return "a documentation address";
            }
            if (first == 0x01 && b[1] == 0 && isZero(b, 2, 8)) {
                return "a discard-only address";
            }
            if ((first & 0xe0) != 0x20) {
                return "not a global unicast address";
            }
            return null;
        }
        byte[] b = address.getAddress();
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        if (a0 == 127) {
            return allowLoopback ? null : "a loopback address";
        }
        if (a0 == 0) {
            return "a \"this network\" address (0.0.0.0/8)";
        }
        if (a0 == 10 || a0 == 172 && (a1 & 0xf0) == 16 || a0 == 192 && a1 == 168) {
            return "a private address";
        }
        if (a0 == 169 && a1 == 254) {
            return "a link-local address (cloud metadata services live here)";
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return "a carrier-grade NAT (shared) address";
        }
        if (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) {
            return "an IETF protocol assignment address";
        }
        if (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 2 || a0 == 198 && a1 == 51 && (b[2] & 0xff) == 100
                || a0 == 203 && a1 == 0 && (b[2] & 0xff) == 113) {
            return "a documentation address";
        }
        if (a0 == 198 && (a1 & 0xfe) == 18) {
            return "a benchmarking address";
        }
        if (a0 == 192 && a1 == 88 && (b[2] & 0xff) == 99) {
            return "a 6to4 relay address";
        }
        if (a0 >= 224) {
            return a0 < 240 ? "a multicast address" : "a reserved or broadcast address";
        }
        return null;
    }

    /** The IPv4 address inside IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96), 6to4 and Teredo forms. */
    private static InetAddress embeddedIpv4(byte[] b) {
        try {
            if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff
                    || isZero(b, 0, 12) && !isZero(b, 12, 16) && !(isZero(b, 12, 15) && b[15] == 1)) {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            }
            if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                    && isZero(b, 4, 12)) {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 2, 6));
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0 && b[3] == 0) {
                byte[] client = Arrays.copyOfRange(b, 12, 16);
                for (int i = 0; i < 4; i++) {
                    client[i] = (byte) ~client[i];
                }
                return InetAddress.getByAddress(client);
            }
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
        return null;
    }

    /** Every dot-separated label is a decimal, octal or hex number (a trailing dot allowed): an IPv4 form. */
    private static boolean looksNumeric(String host) {
        String value = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return !value.isEmpty() && Arrays.stream(value.split("\\.", -1)).allMatch(label -> NUMERIC_LABEL.matcher(label).matches());
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static KeysmithException invalid(String message) {
        return new KeysmithException.InvalidInput("url", message);
    }

    static boolean isIpv4(InetAddress address) {
        return address instanceof Inet4Address;
    }
}
