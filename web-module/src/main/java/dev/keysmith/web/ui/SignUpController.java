package dev.keysmith.web.ui;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.Plan;
import dev.keysmith.web.security.CurrentMember;
import dev.keysmith.web.security.SignIn;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/** Sign-up: a new workspace on the Free plan with its owner, who is signed in straight away. */
@Controller
class SignUpController {

    private final Accounts accounts;
    private final SignIn signIn;

    SignUpController(Accounts accounts, SignIn signIn) {
        this.accounts = accounts;
        this.signIn = signIn;
    }

    @GetMapping("/signup")
    String form(@ModelAttribute("form") Forms.SignUp form) {
        return CurrentMember.get().isPresent() ? "redirect:/keys" : "account/signup";
    }

    @PostMapping("/signup")
    String signUp(@ModelAttribute("form") Forms.SignUp form, BindingResult result, HttpServletRequest request,
                  HttpServletResponse response) {
        if (form.getPassword() != null && !form.getPassword().equals(form.getConfirmPassword())) {
            result.rejectValue("confirmPassword", "password_mismatch", "The two passwords do not match.");
            return "account/signup";
        }
        try {
            Accounts.SignUp created = accounts.signUp(form.getWorkspaceName(), form.getEmail(), form.getPassword(),
                    Plan.FREE);
            signIn.as(created.ownerId(), request, response);
            return "redirect:/keys?welcome";
        } catch (KeysmithException.InvalidInput refusal) {
            Forms.reject(result, refusal);
            return "account/signup";
        }
    }
}
