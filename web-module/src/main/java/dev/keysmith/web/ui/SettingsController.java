package dev.keysmith.web.ui;

import dev.keysmith.keys.Accounts;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.Plan;
import dev.keysmith.keys.PlanLimits;
import dev.keysmith.keys.TenantDirectory;
import dev.keysmith.web.security.CurrentMember;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Workspace settings (Owners only): the plan and its limits, and the brands. */
@Controller
@RequestMapping("/settings")
class SettingsController {

    private final Accounts accounts;
    private final TenantDirectory directory;
    private final PlanLimits limits;

    SettingsController(Accounts accounts, TenantDirectory directory, PlanLimits limits) {
        this.accounts = accounts;
        this.directory = directory;
        this.limits = limits;
    }

    @GetMapping
    String settings(@ModelAttribute("brandForm") Forms.Brand brandForm, Model model) {
        model.addAttribute("tenant", directory.tenant(CurrentMember.require().tenantId()).orElseThrow());
        model.addAttribute("plans", Plan.values());
        model.addAttribute("limits", limits);
        return "settings/index";
    }

    @PostMapping("/plan")
    String changePlan(@RequestParam(required = false) String plan, RedirectAttributes redirect) {
        try {
            Plan chosen = Forms.choice(Plan.class, "plan", plan, "Choose a plan: Free, Pro or Enterprise.");
            accounts.changePlan(CurrentMember.require().tenantId(), chosen);
            Forms.flashSuccess(redirect, "The workspace is now on the " + chosen.label() + " plan.");
        } catch (KeysmithException.InvalidInput refusal) {
            Forms.flashError(redirect, refusal);
        }
        return "redirect:/settings";
    }

    @PostMapping("/brands")
    String addBrand(@ModelAttribute("brandForm") Forms.Brand brandForm, BindingResult result, Model model,
                    RedirectAttributes redirect) {
        try {
            accounts.addBrand(CurrentMember.require().tenantId(), brandForm.getBrand());
        } catch (KeysmithException.InvalidInput refusal) {
            Forms.reject(result, refusal);
            return settings(brandForm, model);
        } catch (KeysmithException.Conflict refusal) {
            result.rejectValue("brand", refusal.code(), refusal.getMessage());
            return settings(brandForm, model);
        }
        Forms.flashSuccess(redirect, "Brand added.");
        return "redirect:/settings";
    }

    @PostMapping("/brands/remove")
    String removeBrand(@RequestParam(required = false) String brand, RedirectAttributes redirect) {
        accounts.removeBrand(CurrentMember.require().tenantId(), brand);
        Forms.flashSuccess(redirect, "Brand removed.");
        return "redirect:/settings";
    }
}
