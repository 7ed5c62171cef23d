package dev.keysmith.web.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

class ClientIpResolverTests {

    @ParameterizedTest(name = "peer {1}, X-Forwarded-For \"{2}\", trusted \"{0}\" -> {3}")
    @CsvSource(delimiter = '|', nullValues = "none", textBlock = """
            none                      | 203.0.113.9 | 198.51.100.1              | 203.0.113.9
            10.0.0.0/8                | 203.0.113.9 | 198.51.100.1              | 203.0.113.9
            10.0.0.0/8                | 10.1.2.3    | 198.51.100.1              | 198.51.100.1
            10.0.0.0/8                | 10.1.2.3    | 198.51.100.1, 10.9.9.9    | 198.51.100.1
            10.0.0.0/8                | 10.1.2.3    | 1.1.1.1, 198.51.100.1     | 198.51.100.1
            10.0.0.0/8                | 10.1.2.3    | none                      | 10.1.2.3
            10.0.0.0/8                | 10.1.2.3    | evil.example.com          | 10.1.2.3
            10.0.0.0/8                | 10.1.2.3    | 10.0.0.1, 10.0.0.2        | 10.1.2.3
            10.0.0.0/8, fd00::/8      | fd00::1     | 2001:db8::7               | 2001:db8:0:0:0:0:0:7
            ::1/128                   | ::1         | [2001:db8::8]             | 2001:db8:0:0:0:0:0:8
            10.0.0.0/8                | 10.1.2.3    | 198.51.100.1/24           | 10.1.2.3
            """)
    void theCallerIsThePeerUnlessATrustedProxyForwardedTheRequest(String trusted, String peer, String forwarded,
                                                                 String expected) {
        ClientIpResolver resolver = new ClientIpResolver(trusted == null ? "" : trusted);
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr(peer);
        if (forwarded != null) {
            request.addHeader("X-Forwarded-For", forwarded);
        }
        assertThat(resolver.resolve(request).getHostAddress()).isEqualTo(expected);
    }
}
