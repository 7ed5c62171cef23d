package dev.keysmith.web.ui;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.MemberId;
import dev.keysmith.keys.Role;
import dev.keysmith.keys.TenantDirectory;
import dev.keysmith.web.security.CurrentMember;
import dev.keysmith.web.security.KeysmithPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Members of the workspace (Owners only, enforced by the security configuration). */
@Controller
@RequestMapping("/members")
class MembersController {

    private static final String ROLE_CHOICE = "Choose a role: Owner, Admin, Developer or Auditor.";

    private final Accounts accounts;
    private final TenantDirectory directory;

    MembersController(Accounts accounts, TenantDirectory directory) {
        this.accounts = accounts;
        this.directory = directory;
    }

    @GetMapping
    String list(@ModelAttribute("form") Forms.NewMember form, Model model) {
        model.addAttribute("members", directory.members(CurrentMember.require().tenantId()));
        model.addAttribute("roles", Role.values());
        return "members/index";
    }

    @PostMapping
    String add(@ModelAttribute("form") Forms.NewMember form, BindingResult result, Model model,
               RedirectAttributes redirect) {
        KeysmithPrincipal owner = CurrentMember.require();
        try {
            accounts.addMember(owner.tenantId(), form.getEmail(), Forms.parse(Role.class, form.getRole()),
                    form.getPassword());
        } catch (KeysmithException.InvalidInput refusal) {
            Forms.reject(result, refusal);
            return list(form, model);
        }
        Forms.flashSuccess(redirect, "Added " + form.getEmail().strip().toLowerCase(java.util.Locale.ROOT)
                + ". They must choose a new password when they first sign in.");
        return "redirect:/members";
    }

    @PostMapping("/{memberId}/role")
    String changeRole(@PathVariable String memberId, @RequestParam(required = false) String role,
                      RedirectAttributes redirect) {
        try {
            accounts.changeRole(CurrentMember.require().tenantId(), new MemberId(memberId),
                    Forms.choice(Role.class, "role", role, ROLE_CHOICE));
            Forms.flashSuccess(redirect, "Role changed.");
        } catch (KeysmithException.Conflict | KeysmithException.InvalidInput refusal) {
            Forms.flashError(redirect, refusal);
        }
        return "redirect:/members";
    }

    @PostMapping("/{memberId}/remove")
    String remove(@PathVariable String memberId, RedirectAttributes redirect) {
        try {
            accounts.removeMember(CurrentMember.require().tenantId(), new MemberId(memberId));
            Forms.flashSuccess(redirect, "Member removed.");
        } catch (KeysmithException.Conflict refusal) {
            Forms.flashError(redirect, refusal);
        }
        return "redirect:/members";
    }
}
