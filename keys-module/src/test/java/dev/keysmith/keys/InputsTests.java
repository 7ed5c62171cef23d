package dev.keysmith.keys;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link Inputs} accepts, how it normalises it, and how it refuses (field, code and message). */
class InputsTests {

    private static void assertRefused(Runnable call, String field, String messagePart) {
        assertThatThrownBy(call::run)
                .isExactlyInstanceOf(KeysmithException.InvalidInput.class)
                .hasMessageContaining(messagePart)
                .satisfies(thrown -> {
                    KeysmithException.InvalidInput invalid = (KeysmithException.InvalidInput) thrown;
                    assertThat(invalid.field()).isEqualTo(field);
                    assertThat(invalid.code()).isEqualTo(
                            "invalid_" + field.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase());
                });
    }

    @Nested
    class Names {

        static Stream<Arguments> nameInputs() {
            return Stream.of(
                    Arguments.of("workspaceName", (Function<String, String>) Inputs::workspaceName, "Workspace name"),
                    Arguments.of("brand", (Function<String, String>) Inputs::brandName, "Brand name"));
        }

        @ParameterizedTest
        @MethodSource("nameInputs")
        void blankNamesAreRequired(String field, Function<String, String> check, String label) {
            for (String blank : new String[]{null, "", " ", "   ", "\t", "\n", " \u2003 "}) {
                assertRefused(() -> check.apply(blank), field, label + " is required.");
            }
        }

        @ParameterizedTest
        @MethodSource("nameInputs")
        void namesAreStrippedAndKeepTheirCase(String field, Function<String, String> check, String label) {
            assertThat(check.apply("  Acme Travel \t")).isEqualTo("Acme Travel");
            assertThat(check.apply("Ünïcødé Ltd. & Co")).isEqualTo("Ünïcødé Ltd. & Co");
        }

        @ParameterizedTest
        @MethodSource("nameInputs")
        void eightyCharactersAreAllowedAndEightyOneAreNot(String field, Function<String, String> check, String label) {
            assertThat(check.apply("n".repeat(80))).hasSize(80);
            assertRefused(() -> check.apply("n".repeat(81)), field,
                    label + " is 81 characters long; at most 80 are allowed.");
        }

        @ParameterizedTest
        @MethodSource("nameInputs")
        void theLengthLimitAppliesAfterStripping(String field, Function<String, String> check, String label) {
            assertThat(check.apply("  " + "n".repeat(80) + "  ")).isEqualTo("n".repeat(80));
        }

        @ParameterizedTest
        @ValueSource(strings = {"Acme\u0000Corp", "Acme\nCorp", "Acme\rCorp", "Acme\tCorp", "Acme\u001bCorp",
                "Acme\u007fCorp", "Acme\u0007"})
        void controlCharactersInsideAWorkspaceNameAreRefused(String name) {
            assertRefused(() -> Inputs.workspaceName(name), "workspaceName",
                    "Workspace name must not contain control characters.");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Acme\u0000Corp", "Acme\nCorp", "Acme\u001bCorp"})
        void controlCharactersInsideABrandNameAreRefused(String name) {
            assertRefused(() -> Inputs.brandName(name), "brand", "Brand name must not contain control characters.");
        }

        /** {@code \p{Cntrl}} without UNICODE_CHARACTER_CLASS is ASCII-only: the C1 controls slip through. */
        @ParameterizedTest
        @ValueSource(strings = {"Acme\u0085Corp", "Acme\u009bCorp", "Acme\u0080"})
        void c1ControlCharactersInsideANameAreRefused(String name) {
            assertRefused(() -> Inputs.workspaceName(name), "workspaceName",
                    "Workspace name must not contain control characters.");
        }

        @Test
        void theGenericNameCheckUsesTheGivenFieldAndLabel() {
            assertThat(Inputs.name("endpointName", "Endpoint name", " Orders ")).isEqualTo("Orders");
            assertRefused(() -> Inputs.name("endpointName", "Endpoint name", ""), "endpointName",
                    "Endpoint name is required.");
        }
    }

    @Nested
    class Emails {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "alice@example.com|alice@example.com",
                "Alice@Example.COM|alice@example.com",
                "  BOB.Smith+keys@Mail.Example.org \t|bob.smith+keys@mail.example.org",
                "o'neil@sub-domain.example.co.uk|o'neil@sub-domain.example.co.uk",
                "x@a.io|x@a.io"})
        void emailsAreStrippedAndLowerCased(String raw, String normalised) {
            assertThat(Inputs.email(raw)).isEqualTo(normalised);
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {" ", "\t  "})
        void blankEmailsAreRequired(String raw) {
            assertRefused(() -> Inputs.email(raw), "email", "Email is required.");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "alice",                      // no @
                "alice@",                     // no domain
                "@example.com",               // no local part
                "alice@example",              // no dot in the domain
                "alice@@example.com",         // two @
                "ali ce@example.com",         // space in the local part
                "alice@exa mple.com",         // space in the domain
                "alice@-example.com",         // label starts with a hyphen
                "alice@example-.com",         // label ends with a hyphen
                "alice@example..com",         // empty label
                "alice@.example.com",         // leading dot
                "alice@example.com.",         // trailing dot
                "alice@exam_ple.com",         // underscore in the domain
                "alice@example.com>",         // stray character
                "<alice@example.com>"})
        void malformedEmailsAreRefused(String raw) {
            assertRefused(() -> Inputs.email(raw), "email", "is not a valid email address");
        }

        /** The local part is {@code [^@\s]{1,64}}, which admits NUL, ESC and DEL. */
        @ParameterizedTest
        @ValueSource(strings = {"a\u0000b@example.com", "a\u001bb@example.com", "a\u007f@example.com",
                "a\u0085@example.com"})
        void controlCharactersInAnEmailAreRefused(String raw) {
            assertRefused(() -> Inputs.email(raw), "email", "is not a valid email address");
        }

        @Test
        void theLocalPartIsAtMost64Characters() {
            assertThat(Inputs.email("a".repeat(64) + "@example.com")).startsWith("a".repeat(64));
            assertRefused(() -> Inputs.email("a".repeat(65) + "@example.com"), "email", "is not a valid email address");
        }

        @Test
        void aDomainLabelIsAtMost63Characters() {
            assertThat(Inputs.email("a@" + "d".repeat(63) + ".com")).endsWith(".com");
            assertRefused(() -> Inputs.email("a@" + "d".repeat(64) + ".com"), "email", "is not a valid email address");
        }

        @Test
        void anEmailIsAtMost254Characters() {
            String domain = "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(63) + ".";
            String at254 = "a".repeat(254 - 1 - domain.length() - 2) + "@" + domain + "io";
            assertThat(at254).hasSize(254);
            assertThat(Inputs.email(at254)).isEqualTo(at254);
            String at255 = "a" + at254;
            assertRefused(() -> Inputs.email(at255), "email", "is not a valid email address");
        }

        @Test
        void theRefusalQuotesALongAddressAbbreviated() {
            String raw = "x".repeat(100);
            assertThatThrownBy(() -> Inputs.email(raw))
                    .hasMessage("\"" + "x".repeat(57) + "...\" is not a valid email address (expected name@example.com).");
        }
    }

    @Nested
    class Passwords {

        @ParameterizedTest
        @ValueSource(strings = {"", "a", "elevenchars"})
        void passwordsUnderTwelveCharactersAreRefused(String raw) {
            assertThat(raw.length()).isLessThan(12);
            assertRefused(() -> Inputs.password("password", raw), "password",
                    "Password must be at least 12 characters long.");
        }

        @Test
        void aMissingPasswordIsRefused() {
            assertRefused(() -> Inputs.password("newPassword", null), "newPassword",
                    "Password must be at least 12 characters long.");
        }

        @ParameterizedTest
        @ValueSource(strings = {"twelve chars", "correct horse battery staple", " padded pass "})
        void passwordsAreReturnedUnchanged(String raw) {
            assertThat(Inputs.password("password", raw)).isSameAs(raw);
        }

        @Test
        void oneHundredTwentyEightCharactersAreAllowedAndMoreAreNot() {
            assertThat(Inputs.password("password", "p".repeat(128))).hasSize(128);
            assertRefused(() -> Inputs.password("password", "p".repeat(129)), "password",
                    "Password must be at most 128 characters long.");
        }

        @Test
        void aPasswordOfOnlySpacesIsRefused() {
            assertRefused(() -> Inputs.password("password", " ".repeat(12)), "password",
                    "Password must not be only spaces.");
        }

        @Test
        void theFieldNameBecomesTheCode() {
            assertThatThrownBy(() -> Inputs.password("currentPassword", "short"))
                    .isInstanceOfSatisfying(KeysmithException.InvalidInput.class,
                            invalid -> assertThat(invalid.code()).isEqualTo("invalid_current_password"));
        }
    }
}
