package dev.keysmith.web.ui;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.web.security.CurrentMember;
import dev.keysmith.web.security.KeysmithPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Sign-in page, home, and the member's own password. */
@Controller
class AccountController {

    private final Accounts accounts;

    AccountController(Accounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/")
    String home() {
        return "redirect:/keys";
    }

    @GetMapping("/login")
    String login() {
        return CurrentMember.get().isPresent() ? "redirect:/keys" : "account/login";
    }

    @GetMapping("/account/password")
    String passwordForm(@ModelAttribute("form") Forms.PasswordChange form) {
        return "account/password";
    }

    @PostMapping("/account/password")
    String changePassword(@ModelAttribute("form") Forms.PasswordChange form, BindingResult result,
                          RedirectAttributes redirect) {
        if (form.getNewPassword() != null && !form.getNewPassword().equals(form.getConfirmPassword())) {
            result.rejectValue("confirmPassword", "password_mismatch", "The two passwords do not match.");
            return "account/password";
        }
        KeysmithPrincipal member = CurrentMember.require();
        try {
            accounts.changePassword(member.tenantId(), member.memberId(), form.getCurrentPassword(),
                    form.getNewPassword());
        } catch (KeysmithException.InvalidInput refusal) {
            Forms.reject(result, refusal);
            return "account/password";
        }
        Forms.flashSuccess(redirect, "Your password was changed.");
        return "redirect:/keys";
    }
}
