package dev.keysmith.web.ui;

import dev.keysmith.keys.ApiKeyId;
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.IpAllowlist;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.PlanLimits;
import dev.keysmith.keys.RequestLogs;
import dev.keysmith.keys.RevocationReason;
import dev.keysmith.keys.TenantDirectory;
import dev.keysmith.keys.TenantView;
import dev.keysmith.web.security.CurrentMember;
import dev.keysmith.web.security.KeysmithPrincipal;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
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

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The keys pages: the key table (grouped by environment, with the workspace's Client ID at the top), a new key,
 * a key's own page with its edit, rotate, revoke and remove-from-list forms, and the one page that shows a secret.
 * Everyone in the workspace may read; only Owners and Admins may change anything, checked on every POST.
 */
@Controller
@RequestMapping("/keys")
class KeysController {

    /** Keys per page of the table (the facade's maximum). */
    static final int PAGE = 64;

    /** How long the previous secret keeps working after a rotation. */
    enum Grace {
        NONE("none", "None: the old secret stops working at once", Duration.ZERO),
        HOUR("1h", "1 hour", Duration.ofHours(1)),
        DAY("24h", "24 hours", Duration.ofHours(24)),
        WEEK("7d", "7 days", Duration.ofDays(7));

        private final String value;
        private final String label;
        private final Duration duration;

        Grace(String value, String label, Duration duration) {
            this.value = value;
            this.label = label;
            this.duration = duration;
        }

        public String value() {
            return value;
        }

        public String label() {
            return label;
        }

        static Grace parse(String raw) {
            for (Grace grace : values()) {
                if (grace.value.equals(raw == null || raw.isBlank() ? "none" : raw.strip())) {
                    return grace;
                }
            }
            throw new KeysmithException.InvalidInput("grace", "Choose a grace period: none, 1 hour, 24 hours or 7 days.");
        }
    }

    /** The reasons a person may give; expired_cleanup is the system's own. */
    static final List<RevocationReason> REASONS =
            List.of(RevocationReason.MANUAL, RevocationReason.LEAKED, RevocationReason.NO_LONGER_NEEDED);

    /** One environment's heading and rows in the key table. */
    record KeyGroup(Environment environment, List<KeyRow> rows) {
    }

    /** A choice in a select: its form value and what a person reads. */
    record Choice(String value, String label) {
    }

    private final ApiKeys apiKeys;
    private final TenantDirectory directory;
    private final PlanLimits limits;
    private final RequestLogs requestLogs;

    KeysController(ApiKeys apiKeys, TenantDirectory directory, PlanLimits limits, RequestLogs requestLogs) {
        this.apiKeys = apiKeys;
        this.directory = directory;
        this.limits = limits;
        this.requestLogs = requestLogs;
    }

    // ---- the table -------------------------------------------------------------------------------------------

    @GetMapping
    String keys(@RequestParam(defaultValue = "false") boolean all, @RequestParam(defaultValue = "0") int offset,
                Model model) {
        KeysmithPrincipal me = CurrentMember.require();
        TenantView tenant = tenant(me);
        int from = Math.max(0, offset);
        List<ApiKeyView> page = apiKeys.list(me.tenantId(), from, PAGE, all);
        boolean more = page.size() == PAGE && !apiKeys.list(me.tenantId(), from + PAGE, 1, all).isEmpty();
        Instant now = Instant.now();
        Map<Environment, List<KeyRow>> rows = new EnumMap<>(Environment.class);
        for (Environment environment : Environment.values()) {
            rows.put(environment, new ArrayList<>());
        }
        page.forEach(key -> rows.get(key.environment()).add(KeyRow.of(key, now)));
        model.addAttribute("tenant", tenant);
        model.addAttribute("limits", limits.of(tenant.plan()));
        model.addAttribute("groups", rows.entrySet().stream()
                .map(entry -> new KeyGroup(entry.getKey(), entry.getValue())).toList());
        model.addAttribute("keyCount", page.size());
        model.addAttribute("all", all);
        model.addAttribute("removedKeys", all || anyRemoved(me));
        model.addAttribute("offset", from);
        model.addAttribute("previousOffset", from > 0 ? Math.max(0, from - PAGE) : null);
        model.addAttribute("nextOffset", more ? from + PAGE : null);
        return "keys/index";
    }

    /** Whether "Show removed keys" has anything to show (assumed so past the first page of all keys). */
    private boolean anyRemoved(KeysmithPrincipal me) {
        List<ApiKeyView> everything = apiKeys.list(me.tenantId(), 0, PAGE, true);
        return everything.size() == PAGE || everything.stream().anyMatch(ApiKeyView::hidden);
    }

    // ---- a new key -------------------------------------------------------------------------------------------

    @GetMapping("/new")
    String newKey(@ModelAttribute("form") Forms.NewKey form, Model model) {
        requireManager();
        return newKeyPage(form, model);
    }

    @PostMapping("/new")
    String create(@ModelAttribute("form") Forms.NewKey form, BindingResult result, Model model,
                  HttpServletResponse response) {
        KeysmithPrincipal me = requireManager();
        try {
            Instant expires = endOfDay(form.getExpires());
            ApiKeys.IssuedKey issued = apiKeys.create(me.tenantId(), new ApiKeys.NewKey(form.getName(),
                    form.getEnvironment(), expires, entries(form.getIps()), blankToNull(form.getBrand())));
            model.addAttribute("nameHint", apiKeys.nameHint(issued.key().name()).orElse(null));
            return secretPage(issued, "created", model, response);
        } catch (KeysmithException.InvalidInput refusal) {
            Forms.reject(result, refusal);
        } catch (KeysmithException.Forbidden | KeysmithException.Conflict refusal) {
            response.setStatus(refusal instanceof KeysmithException.Forbidden
                    ? HttpStatus.FORBIDDEN.value() : HttpStatus.CONFLICT.value());
            model.addAttribute("refusal", refusal.getMessage());
            model.addAttribute("refusalCode", refusal.code());
        } catch (KeysmithException.RateLimited refusal) {
            rateLimited(refusal, response);
            model.addAttribute("refusal", refusal.getMessage());
            model.addAttribute("refusalCode", refusal.code());
        }
        return newKeyPage(form, model);
    }

    private String newKeyPage(Forms.NewKey form, Model model) {
        TenantView tenant = tenant(CurrentMember.require());
        model.addAttribute("tenant", tenant);
        model.addAttribute("limits", limits.of(tenant.plan()));
        model.addAttribute("environments", Environment.values());
        model.addAttribute("today", LocalDate.now(ZoneOffset.UTC).toString());
        if (form.getName() != null && !model.containsAttribute("nameHint")) {
            model.addAttribute("nameHint", apiKeys.nameHint(form.getName()).orElse(null));
        }
        return "keys/new";
    }

    // ---- a key's page ----------------------------------------------------------------------------------------

    @GetMapping("/{id}")
    String key(@PathVariable String id, Model model) {
        ApiKeyView key = require(id);
        Forms.EditKey edit = new Forms.EditKey();
        edit.setName(key.name());
        edit.setIps(String.join("\n", key.ips()));
        model.addAttribute("editForm", edit);
        return keyPage(key, model);
    }

    @PostMapping("/{id}")
    String update(@PathVariable String id, @ModelAttribute("editForm") Forms.EditKey form, BindingResult result,
                  Model model, RedirectAttributes redirect) {
        KeysmithPrincipal me = requireManager();
        ApiKeyId keyId = ApiKeyId.parse(id);
        try {
            apiKeys.update(me.tenantId(), keyId, form.getName(), entries(form.getIps()));
        } catch (KeysmithException.InvalidInput refusal) {
            Forms.reject(result, refusal);
            return keyPage(require(id), model);
        } catch (KeysmithException.Conflict refusal) {
            Forms.flashError(redirect, refusal);
            return redirectTo(keyId);
        }
        Forms.flashSuccess(redirect, "Saved the name and IP allowlist.");
        return redirectTo(keyId);
    }

    @PostMapping("/{id}/rotate")
    String rotate(@PathVariable String id, @ModelAttribute("rotateForm") Forms.RotateKey form, BindingResult result,
                  Model model, RedirectAttributes redirect, HttpServletResponse response) {
        KeysmithPrincipal me = requireManager();
        ApiKeyId keyId = ApiKeyId.parse(id);
        try {
            Grace grace = Grace.parse(form.getGrace());
            ApiKeys.IssuedKey issued = apiKeys.rotate(me.tenantId(), keyId, grace.duration);
            return secretPage(issued, "rotated", model, response);
        } catch (KeysmithException.InvalidInput refusal) {
            for (KeysmithException.FieldError error : refusal.errors()) {
                result.rejectValue("grace", error.code(), error.message());
            }
        } catch (KeysmithException.RateLimited refusal) {
            rateLimited(refusal, response);
            result.reject(refusal.code(), refusal.getMessage());
        } catch (KeysmithException.Conflict refusal) {
            Forms.flashError(redirect, refusal);
            return redirectTo(keyId);
        }
        return keyPage(require(id), model);
    }

    @PostMapping("/{id}/revoke")
    String revoke(@PathVariable String id, @RequestParam(required = false) String reason,
                  RedirectAttributes redirect) {
        KeysmithPrincipal me = requireManager();
        ApiKeyId keyId = ApiKeyId.parse(id);
        try {
            RevocationReason chosen = RevocationReason.parse(reason);
            apiKeys.revoke(me.tenantId(), keyId, chosen);
            Forms.flashSuccess(redirect, "Key revoked: calls with it are refused from now on. It stays in the "
                    + "table, marked, until you remove it from the list.");
        } catch (KeysmithException.InvalidInput | KeysmithException.Conflict refusal) {
            Forms.flashError(redirect, refusal);
        }
        return redirectTo(keyId);
    }

    @PostMapping("/{id}/hide")
    String hide(@PathVariable String id, RedirectAttributes redirect) {
        KeysmithPrincipal me = requireManager();
        ApiKeyId keyId = ApiKeyId.parse(id);
        try {
            apiKeys.hide(me.tenantId(), keyId);
            Forms.flashSuccess(redirect, "Removed the key from the list; its history stays. "
                    + "\"Show removed keys\" lists it again.");
        } catch (KeysmithException.Conflict refusal) {
            Forms.flashError(redirect, refusal);
            return redirectTo(keyId);
        }
        return "redirect:/keys";
    }

    private String keyPage(ApiKeyView key, Model model) {
        TenantView tenant = tenant(CurrentMember.require());
        model.addAttribute("tenant", tenant);
        Instant now = Instant.now();
        model.addAttribute("row", KeyRow.of(key, now));
        model.addAttribute("chartDay", Charts.series(requestLogs.series(key.tenantId(), key.id(),
                RequestLogs.Resolution.HOURS_24, now), RequestLogs.Resolution.HOURS_24));
        model.addAttribute("chartMonth", Charts.series(requestLogs.series(key.tenantId(), key.id(),
                RequestLogs.Resolution.DAYS_30, now), RequestLogs.Resolution.DAYS_30));
        if (!model.containsAttribute("editForm")) {
            Forms.EditKey edit = new Forms.EditKey();
            edit.setName(key.name());
            edit.setIps(String.join("\n", key.ips()));
            model.addAttribute("editForm", edit);
        }
        if (!model.containsAttribute("rotateForm")) {
            model.addAttribute("rotateForm", new Forms.RotateKey());
        }
        model.addAttribute("graces", Grace.values());
        model.addAttribute("reasons", REASONS.stream()
                .map(reason -> new Choice(reason.json(), KeyRow.reasonLabel(reason))).toList());
        return "keys/show";
    }

    // ---- the one page that shows a secret --------------------------------------------------------------------

    private String secretPage(ApiKeys.IssuedKey issued, String action, Model model, HttpServletResponse response) {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setHeader(HttpHeaders.PRAGMA, "no-cache");
        model.addAttribute("issued", issued);
        model.addAttribute("row", KeyRow.of(issued.key(), Instant.now()));
        model.addAttribute("action", action);
        model.addAttribute("tenant", tenant(CurrentMember.require()));
        return "keys/secret";
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private TenantView tenant(KeysmithPrincipal me) {
        return directory.tenant(me.tenantId()).orElseThrow();
    }

    private ApiKeyView require(String id) {
        return apiKeys.find(CurrentMember.require().tenantId(), ApiKeyId.parse(id))
                .orElseThrow(() -> new KeysmithException.NotFound("key_not_found",
                        "There is no API key with this id in this workspace."));
    }

    private static KeysmithPrincipal requireManager() {
        KeysmithPrincipal me = CurrentMember.require();
        if (!me.role().canManageKeys()) {
            throw new KeysmithException.Forbidden("forbidden",
                    "Only owners and admins can create or change API keys; your role (" + me.role().label()
                            + ") may read them.");
        }
        return me;
    }

    /** 429 with Retry-After; the message itself says how many seconds to wait. */
    private static void rateLimited(KeysmithException.RateLimited refusal, HttpServletResponse response) {
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
    }

    private static String redirectTo(ApiKeyId keyId) {
        return "redirect:/keys/" + keyId.value();
    }

    /**
     * The date a person chose, as the instant the key stops working: the end of that day in UTC (the next day's
     * 00:00Z). Empty means no expiry; the service says whether the date is too early or too late.
     */
    static Instant endOfDay(String date) {
        if (date == null || date.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(date.strip()).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new KeysmithException.InvalidInput("expires", "Enter the expiry as a date (YYYY-MM-DD), "
                    + "or leave it empty for a key that does not expire.");
        }
    }

    /**
     * The allowlist as typed (one a line, or separated by commas, spaces or semicolons), split but not checked,
     * so that the service names every bad entry along with every other bad field.
     */
    static List<String> entries(String text) {
        return IpAllowlist.split(text);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
