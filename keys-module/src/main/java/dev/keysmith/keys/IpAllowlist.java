package dev.keysmith.keys;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressNetwork;
import inet.ipaddr.IPAddressString;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses a key may be used from: IPv4 and IPv6 addresses and CIDR ranges. Empty means anywhere. Entries
 * are normalised (e.g. {@code 10.1.2.3/8} becomes {@code 10.0.0.0/8}); IPv4-mapped IPv6 callers match IPv4 rules.
 */
public final class IpAllowlist {

    public static final int MAX_ENTRIES = 100;

    /** Plain addresses and CIDR prefixes only: no wildcards, ranges, masks, inet_aton forms or empty strings. */
    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowAll(false).allowSingleSegment(false).allowMask(false).allowPrefixOnly(false)
            .allowWildcardedSeparator(false).allow_inet_aton(false)
            .setRangeOptions(AddressStringParameters.RangeParameters.NO_RANGE)
            .toParams();

    private final List<String> entries;
    private final List<IPAddress> ranges;

    private IpAllowlist(List<String> entries, List<IPAddress> ranges) {
        this.entries = List.copyOf(entries);
        this.ranges = List.copyOf(ranges);
    }

    public static final IpAllowlist ANYWHERE = new IpAllowlist(List.of(), List.of());

    /** Parses and normalises; refuses the whole list, naming each bad entry, when any entry is malformed. */
    public static IpAllowlist parse(List<String> raw) {
        if (raw == null || raw.isEmpty()) {
            return ANYWHERE;
        }
        if (raw.size() > MAX_ENTRIES) {
            throw new KeysmithException.InvalidInput("ips",
                    "An allowlist has at most " + MAX_ENTRIES + " entries; this one has " + raw.size() + ".");
        }
        Set<String> entries = new LinkedHashSet<>();
        List<IPAddress> ranges = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (String item : raw) {
            String value = item == null ? "" : item.strip();
            if (value.isEmpty()) {
                continue;
            }
            try {
                IPAddress address = new IPAddressString(value, STRICT).toAddress();
                IPAddress range = ipv4IfMapped(address.isPrefixed() ? address.toPrefixBlock() : address.withoutPrefixLength());
                if (range == null) {
                    bad.add(value);
                    continue;
                }
                if (entries.add(range.toCanonicalString())) {
                    ranges.add(range);
                }
            } catch (AddressStringException e) {
                bad.add(value);
            }
        }
        if (!bad.isEmpty()) {
            throw new KeysmithException.InvalidInput("ips", "Not an IP address or CIDR range: "
                    + String.join(", ", bad.stream().map(Inputs::abbreviate).toList())
                    + " (use e.g. 203.0.113.7, 10.0.0.0/8 or 2001:db8::/32).");
        }
        return new IpAllowlist(new ArrayList<>(entries), ranges);
    }

    /**
     * An IPv4-mapped IPv6 entry ({@code ::ffff:10.1.2.3}, {@code ::ffff:10.0.0.0/104}) as the IPv4 rule it means,
     * since callers arrive as IPv4; null for a mapped prefix shorter than /96, which mixes in non-mapped addresses.
     */
    private static IPAddress ipv4IfMapped(IPAddress range) {
        if (!range.isIPv6() || !range.toIPv6().isIPv4Mapped()) {
            return range;
        }
        Integer prefix = range.getNetworkPrefixLength();
        if (prefix != null && prefix < 96) {
            return null;
        }
        IPAddress ipv4 = range.toIPv6().getEmbeddedIPv4Address().withoutPrefixLength();
        return prefix == null ? ipv4 : ipv4.setPrefixLength(prefix - 96, false).toPrefixBlock();
    }

    /**
     * An address as people write it (RFC 5952 for IPv6: {@code ::1}, {@code 2001:db8::7}), where Java writes every
     * group ({@code 0:0:0:0:0:0:0:1}); null for null.
     */
    public static String text(InetAddress address) {
        if (address == null || address instanceof Inet4Address) {
            return address == null ? null : address.getHostAddress();
        }
        return new IPAddressNetwork.IPAddressGenerator().from(address).toCanonicalString();
    }

    /** Parses a comma-, space- or newline-separated list, as typed in a form. */
    public static IpAllowlist parseText(String text) {
        return parse(split(text));
    }

    /** Splits a list as typed (one a line, or separated by commas, spaces or semicolons) without checking it. */
    public static List<String> split(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return List.of(text.strip().split("[\\s,;]+"));
    }

    public boolean isAnywhere() {
        return ranges.isEmpty();
    }

    public List<String> entries() {
        return entries;
    }

    public boolean allows(InetAddress caller) {
        if (ranges.isEmpty()) {
            return true;
        }
        if (caller == null) {
            return false;
        }
        IPAddress address = new IPAddressString(caller.getHostAddress()).getAddress();
        if (address == null) {
            return false;
        }
        if (address.isIPv6() && address.toIPv6().isIPv4Mapped()) {
            address = address.toIPv6().getEmbeddedIPv4Address();
        }
        for (IPAddress range : ranges) {
            if (range.getIPVersion() == address.getIPVersion() && range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return entries.isEmpty() ? "anywhere" : String.join(", ", entries);
    }
}
