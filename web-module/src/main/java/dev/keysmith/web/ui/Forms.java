package dev.keysmith.web.ui;

import dev.keysmith.keys.KeysmithException;
import org.springframework.validation.BindingResult;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The forms of the UI (mutable beans, as Spring MVC binds them) and how refusals show up beside their fields. */
final class Forms {

    private Forms() {
    }

    static final class SignUp {
        private String workspaceName;
        private String email;
        private String password;
        private String confirmPassword;

        public String getWorkspaceName() { return workspaceName; }
        public void setWorkspaceName(String workspaceName) { this.workspaceName = workspaceName; }
        public String getEmail() { return email; }
        public void setEmail(String email) { this.email = email; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public String getConfirmPassword() { return confirmPassword; }
        public void setConfirmPassword(String confirmPassword) { this.confirmPassword = confirmPassword; }
    }

    static final class NewMember {
        private String email;
        private String role = "DEVELOPER";
        private String password;

        public String getEmail() { return email; }
        public void setEmail(String email) { this.email = email; }
        public String getRole() { return role; }
        public void setRole(String role) { this.role = role; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
    }

    static final class PasswordChange {
        private String currentPassword;
        private String newPassword;
        private String confirmPassword;

        public String getCurrentPassword() { return currentPassword; }
        public void setCurrentPassword(String currentPassword) { this.currentPassword = currentPassword; }
        public String getNewPassword() { return newPassword; }
        public void setNewPassword(String newPassword) { this.newPassword = newPassword; }
        public String getConfirmPassword() { return confirmPassword; }
        public void setConfirmPassword(String confirmPassword) { this.confirmPassword = confirmPassword; }
    }

    static final class Brand {
        private String brand;

        public String getBrand() { return brand; }
        public void setBrand(String brand) { this.brand = brand; }
    }

    /** A new API key, as typed: the expiry is a date (yyyy-MM-dd), the allowlist free text. */
    static final class NewKey {
        private String name;
        private String environment = "production";
        private String expires;
        private String ips;
        private String brand;

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getEnvironment() { return environment; }
        public void setEnvironment(String environment) { this.environment = environment; }
        public String getExpires() { return expires; }
        public void setExpires(String expires) { this.expires = expires; }
        public String getIps() { return ips; }
        public void setIps(String ips) { this.ips = ips; }
        public String getBrand() { return brand; }
        public void setBrand(String brand) { this.brand = brand; }
    }

    /** A key's editable parts: its name and its IP allowlist (free text). */
    static final class EditKey {
        private String name;
        private String ips;

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getIps() { return ips; }
        public void setIps(String ips) { this.ips = ips; }
    }

    /** A rotation: how long the previous secret keeps working (none, 1h, 24h, 7d). */
    static final class RotateKey {
        private String grace = "none";

        public String getGrace() { return grace; }
        public void setGrace(String grace) { this.grace = grace; }
    }

    /** A revocation and its reason (manual, leaked, no_longer_needed). */
    static final class RevokeKey {
        private String reason = "manual";

        public String getReason() { return reason; }
        public void setReason(String reason) { this.reason = reason; }
    }

    /** Puts an input refusal beside its field (or at the top of the form when the form has no such field). */
    static void reject(BindingResult result, KeysmithException.InvalidInput refusal) {
        for (KeysmithException.FieldError error : refusal.errors()) {
            if (result.getTarget() != null && hasField(result.getTarget(), error.field())) {
                result.rejectValue(error.field(), error.code(), error.message());
            } else {
                result.reject(error.code(), error.message());
            }
        }
    }

    static void flashError(RedirectAttributes redirect, KeysmithException refusal) {
        redirect.addFlashAttribute("flashError", refusal.getMessage());
    }

    static void flashSuccess(RedirectAttributes redirect, String message) {
        redirect.addFlashAttribute("flashSuccess", message);
    }

    private static boolean hasField(Object target, String field) {
        try {
            target.getClass().getDeclaredField(field);
            return true;
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    /** Parses an enum constant from a form value, or refuses it naming the field. */
    static <E extends Enum<E>> E choice(Class<E> type, String field, String value, String message) {
        E parsed = parse(type, value);
        if (parsed == null) {
            throw new KeysmithException.InvalidInput(field, message);
        }
        return parsed;
    }

    /** Parses an enum constant from a form value; null when it is none of them. */
    static <E extends Enum<E>> E parse(Class<E> type, String value) {
        try {
            return Enum.valueOf(type, value == null ? "" : value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
