package dev.keysmith.keys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing, normalising and refusing allowlist entries, and matching callers (IPv4, IPv6, CIDR edges, mapped). */
class IpAllowlistTests {

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An IPv6 caller in the IPv4-mapped form (::ffff:a.b.c.d) as a real Inet6Address (getByName would unwrap it). */
    static InetAddress mapped(String ipv4) throws UnknownHostException {
        byte[] v4 = InetAddress.getByName(ipv4).getAddress();
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        System.arraycopy(v4, 0, v6, 12, 4);
        return Inet6Address.getByAddress(null, v6, -1);
    }

    static IpAllowlist allow(String... entries) {
        return IpAllowlist.parse(Arrays.asList(entries));
    }

    // ---- parse and normalise ----

    @Test
    void emptyOrNullMeansAnywhere() {
        assertThat(IpAllowlist.parse(null).isAnywhere()).isTrue();
        assertThat(IpAllowlist.parse(List.of()).isAnywhere()).isTrue();
        assertThat(allow(" ", "").isAnywhere()).as("blank entries are skipped").isTrue();
        assertThat(IpAllowlist.parseText("  ").isAnywhere()).isTrue();
        assertThat(IpAllowlist.ANYWHERE.allows(ip("203.0.113.9"))).isTrue();
        assertThat(IpAllowlist.ANYWHERE.allows(null)).isTrue();
        assertThat(IpAllowlist.ANYWHERE.toString()).isEqualTo("anywhere");
    }

    @Test
    void aCidrIsNormalisedToItsNetwork() {
        assertThat(allow("10.1.2.3/8").entries()).containsExactly("10.0.0.0/8");
        assertThat(allow("192.168.77.200/24").entries()).containsExactly("192.168.77.0/24");
        assertThat(allow("2001:db8:1:2::5/32").entries()).containsExactly("2001:db8::/32");
    }

    @Test
    void addressesAreCanonical() {
        assertThat(allow(" 203.0.113.7 ").entries()).containsExactly("203.0.113.7");
        assertThat(allow("2001:DB8:0:0:0:0:0:1").entries()).containsExactly("2001:db8::1");
        assertThat(allow("203.0.113.7/32").entries()).containsExactly("203.0.113.7/32");
    }

    @Test
    void duplicatesCollapseInFirstSeenOrder() {
        IpAllowlist list = allow("10.1.2.3/8", "192.0.2.1", "10.0.0.0/8", "10.200.0.0/8", "192.0.2.1",
                "2001:db8::1", "2001:DB8::1");
        assertThat(list.entries()).containsExactly("10.0.0.0/8", "192.0.2.1", "2001:db8::1");
        assertThat(list.toString()).isEqualTo("10.0.0.0/8, 192.0.2.1, 2001:db8::1");
    }

    @Test
    void textIsSplitOnCommasSemicolonsAndWhitespace() {
        assertThat(IpAllowlist.parseText("10.0.0.1, 10.0.0.2;10.0.0.3\n10.0.0.4\t 2001:db8::/32").entries())
                .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "2001:db8::/32");
    }

    // ---- refusals ----

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "::ffff:1.2.3.4/200", "10.*.*.*", "1.2.3", "256.1.1.1", "example.com",
            "localhost", "10.0.0.0-10.0.0.9", "10.0.0.0/255.0.0.0", "/8", "10.0.0.1/", "2001:db8::/129", "2001:db8:::1",
            "0x0a000001", "167772161", "*", "1.2.3.4.5"})
    void aMalformedEntryIsRefusedByName(String bad) {
        assertThatThrownBy(() -> allow("192.0.2.1", bad))
                .isInstanceOfSatisfying(KeysmithException.InvalidInput.class, e -> {
                    assertThat(e.field()).isEqualTo("ips");
                    assertThat(e.code()).isEqualTo("invalid_ips");
                    assertThat(e.getMessage()).contains(bad).doesNotContain("192.0.2.1");
                });
    }

    @Test
    void everyBadEntryIsNamedAndTheWholeListIsRefused() {
        assertThatThrownBy(() -> allow("10.0.0.0/33", "198.51.100.23", "256.1.1.1", "example.com"))
                .isInstanceOfSatisfying(KeysmithException.InvalidInput.class, e -> assertThat(e.getMessage())
                        .startsWith("Not an IP address or CIDR range: 10.0.0.0/33, 256.1.1.1, example.com ")
                        .doesNotContain("198.51.100.23"));
    }

    @Test
    void moreThanAHundredEntriesAreRefused() {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            entries.add("10.0." + (i / 256) + "." + (i % 256));
        }
        assertThat(IpAllowlist.parse(entries.subList(0, 100)).entries()).hasSize(100);
        assertThatThrownBy(() -> IpAllowlist.parse(entries))
                .isInstanceOfSatisfying(KeysmithException.InvalidInput.class,
                        e -> assertThat(e.getMessage()).contains("100").contains("101"));
    }

    // ---- allows ----

    @Test
    void aSingleIpv4AddressAllowsOnlyItself() {
        IpAllowlist list = allow("203.0.113.7");
        assertThat(list.allows(ip("203.0.113.7"))).isTrue();
        assertThat(list.allows(ip("203.0.113.6"))).isFalse();
        assertThat(list.allows(ip("203.0.113.8"))).isFalse();
        assertThat(list.allows(null)).as("an unknown caller is not allowed by a non-empty list").isFalse();
    }

    @Test
    void anIpv4RangeAllowsItsFirstAndLastAddressAndNothingOutside() {
        IpAllowlist list = allow("192.168.10.77/24");
        assertThat(list.allows(ip("192.168.10.0"))).isTrue();
        assertThat(list.allows(ip("192.168.10.255"))).isTrue();
        assertThat(list.allows(ip("192.168.10.77"))).isTrue();
        assertThat(list.allows(ip("192.168.9.255"))).isFalse();
        assertThat(list.allows(ip("192.168.11.0"))).isFalse();

        IpAllowlist wide = allow("10.0.0.0/8");
        assertThat(wide.allows(ip("10.0.0.0"))).isTrue();
        assertThat(wide.allows(ip("10.255.255.255"))).isTrue();
        assertThat(wide.allows(ip("9.255.255.255"))).isFalse();
        assertThat(wide.allows(ip("11.0.0.0"))).isFalse();

        IpAllowlist odd = allow("172.16.5.4/30");
        assertThat(odd.allows(ip("172.16.5.4"))).isTrue();
        assertThat(odd.allows(ip("172.16.5.7"))).isTrue();
        assertThat(odd.allows(ip("172.16.5.3"))).isFalse();
        assertThat(odd.allows(ip("172.16.5.8"))).isFalse();
    }

    @Test
    void zeroPrefixAllowsEveryAddressOfThatFamilyOnly() {
        IpAllowlist everyV4 = allow("0.0.0.0/0");
        assertThat(everyV4.allows(ip("255.255.255.255"))).isTrue();
        assertThat(everyV4.allows(ip("0.0.0.0"))).isTrue();
        assertThat(everyV4.allows(ip("2001:db8::1"))).isFalse();
    }

    @Test
    void ipv6AddressesAndRanges() {
        IpAllowlist single = allow("2001:db8::1");
        assertThat(single.allows(ip("2001:db8:0:0:0:0:0:1"))).isTrue();
        assertThat(single.allows(ip("2001:db8::2"))).isFalse();

        IpAllowlist range = allow("2001:db8:abcd::/48");
        assertThat(range.allows(ip("2001:db8:abcd::"))).isTrue();
        assertThat(range.allows(ip("2001:db8:abcd:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(range.allows(ip("2001:db8:abcc:ffff:ffff:ffff:ffff:ffff"))).isFalse();
        assertThat(range.allows(ip("2001:db8:abce::"))).isFalse();
    }

    @Test
    void addressesAreWrittenAsPeopleWriteThem() throws Exception {
        assertThat(IpAllowlist.text(ip("0:0:0:0:0:0:0:1"))).isEqualTo("::1");
        assertThat(IpAllowlist.text(ip("2001:DB8:0:0:1:0:0:7"))).isEqualTo("2001:db8::1:0:0:7");
        assertThat(IpAllowlist.text(ip("203.0.113.7"))).isEqualTo("203.0.113.7");
        assertThat(IpAllowlist.text(mapped("10.1.2.3"))).isEqualTo("::ffff:a01:203");
        assertThat(IpAllowlist.text(null)).isNull();
    }

    @Test
    void familiesDoNotMix() {
        assertThat(allow("2001:db8::/32").allows(ip("32.1.13.184"))).isFalse();
        assertThat(allow("10.0.0.0/8").allows(ip("::a00:1"))).as("IPv4-compatible is not IPv4-mapped").isFalse();
    }

    @Test
    void anIpv4MappedIpv6CallerMatchesIpv4Rules() throws Exception {
        InetAddress caller = mapped("10.1.2.3");
        assertThat(caller).isInstanceOf(Inet6Address.class);
        assertThat(caller.getHostAddress()).isEqualTo("0:0:0:0:0:ffff:a01:203");

        assertThat(allow("10.0.0.0/8").allows(caller)).isTrue();
        assertThat(allow("10.1.2.3").allows(caller)).isTrue();
        assertThat(allow("10.1.2.4").allows(caller)).isFalse();
        assertThat(allow("11.0.0.0/8").allows(caller)).isFalse();
        assertThat(allow("10.0.0.0/8").allows(mapped("10.255.255.255"))).isTrue();
        assertThat(allow("10.0.0.0/8").allows(mapped("11.0.0.0"))).isFalse();
    }

    @Test
    void anyEntryOfTheListMayMatch() {
        IpAllowlist list = allow("203.0.113.7", "10.0.0.0/8", "2001:db8::/32");
        assertThat(list.allows(ip("203.0.113.7"))).isTrue();
        assertThat(list.allows(ip("10.9.8.7"))).isTrue();
        assertThat(list.allows(ip("2001:db8:1::1"))).isTrue();
        assertThat(list.allows(ip("198.51.100.1"))).isFalse();
        assertThat(list.allows(ip("2001:db9::1"))).isFalse();
    }

    /** An entry that is accepted must be honoured: either refuse IPv4-mapped rules or let them match. */
    @Test
    void anAcceptedIpv4MappedEntryMatchesTheAddressItNames() throws Exception {
        for (String entry : List.of("::ffff:10.1.2.3", "::ffff:10.0.0.0/104")) {
            IpAllowlist list;
            try {
                list = allow(entry);
            } catch (KeysmithException.InvalidInput refused) {
                assertThat(refused.getMessage()).contains(entry);
                continue;
            }
            assertThat(list.allows(ip("10.1.2.3"))).as(entry + " vs IPv4 caller").isTrue();
            assertThat(list.allows(mapped("10.1.2.3"))).as(entry + " vs mapped caller").isTrue();
        }
    }
}
