package dev.keysmith.web.ui;

import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.ApiKeys;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.PlanLimits;
import dev.keysmith.keys.RequestLogEntry;
import dev.keysmith.keys.RequestLogQuery;
import dev.keysmith.keys.RequestLogs;
import dev.keysmith.keys.TenantDirectory;
import dev.keysmith.keys.TenantView;
import dev.keysmith.web.api.LogFilters;
import dev.keysmith.web.security.CurrentMember;
import dev.keysmith.web.security.KeysmithPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Logs tab: the workspace's API requests, newest first, filtered (date range, status or class, brand,
 * environment, key, error code) with messages beside the fields, an "older" cursor link, a status histogram of the
 * filtered range, and one page per request. Every role may read it. A banner says when records were dropped (the
 * buffer was full) or when the log store is not answering.
 */
@Controller
@RequestMapping("/logs")
class LogsController {

    static final int PAGE = 50;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    /** The filter form, as typed (GET parameters). */
    public static final class Filter {
        private String from;
        private String to;
        private String status;
        private String brand;
        private String environment;
        private String keyId;
        private String code;

        public String getFrom() { return from; }
        public void setFrom(String from) { this.from = from; }
        public String getTo() { return to; }
        public void setTo(String to) { this.to = to; }
        public String getStatus() { return status; }
        public void setStatus(String status) { this.status = status; }
        public String getBrand() { return brand; }
        public void setBrand(String brand) { this.brand = brand; }
        public String getEnvironment() { return environment; }
        public void setEnvironment(String environment) { this.environment = environment; }
        public String getKeyId() { return keyId; }
        public void setKeyId(String keyId) { this.keyId = keyId; }
        public String getCode() { return code; }
        public void setCode(String code) { this.code = code; }
    }

    /** A row as the page shows it. */
    record LogRow(RequestLogEntry entry, String time, String keyName, String badge) {
        static LogRow of(RequestLogEntry entry, Map<String, String> keyNames) {
            String badge = entry.status() >= 500 ? "text-bg-danger" : entry.status() >= 400 ? "text-bg-warning"
                    : "text-bg-success";
            String name = entry.keyId() == null ? null : keyNames.get(entry.keyId().value());
            return new LogRow(entry, TIME.format(entry.time()), name, badge);
        }

        public String latency() {
            return String.format(java.util.Locale.ROOT, "%.1f ms", entry.latencyMillis());
        }
    }

    private final RequestLogs logs;
    private final ApiKeys keys;
    private final TenantDirectory directory;
    private final PlanLimits limits;

    LogsController(RequestLogs logs, ApiKeys keys, TenantDirectory directory, PlanLimits limits) {
        this.logs = logs;
        this.keys = keys;
        this.directory = directory;
        this.limits = limits;
    }

    @GetMapping
    String logs(@ModelAttribute("filter") Filter filter, BindingResult result,
                @RequestParam(required = false) String cursor, Model model) {
        KeysmithPrincipal me = CurrentMember.require();
        RequestLogQuery query = null;
        try {
            query = new LogFilters(filter.getFrom(), filter.getTo(), filter.getStatus(), filter.getBrand(),
                    filter.getEnvironment(), filter.getKeyId(), filter.getCode(), cursor, String.valueOf(PAGE))
                    .toQuery();
        } catch (KeysmithException.InvalidInput refusal) {
            Forms.reject(result, refusal);
        }
        Map<String, String> keyNames = keyNames(me);
        if (query != null) {
            RequestLogs.Page page = logs.search(me.tenantId(), query);
            model.addAttribute("rows", page.items().stream().map(entry -> LogRow.of(entry, keyNames)).toList());
            model.addAttribute("next", page.next() == null ? null : page.next().encode());
            model.addAttribute("histogram", Charts.histogram(logs.histogram(me.tenantId(), query)));
        } else {
            model.addAttribute("rows", List.of());
        }
        model.addAttribute("paged", cursor != null && !cursor.isBlank());
        model.addAttribute("environments", Environment.values());
        TenantView tenant = tenant(me);
        model.addAttribute("tenant", tenant);
        model.addAttribute("retentionDays", limits.of(tenant.plan()).logRetentionDays());
        model.addAttribute("keyChoices", keys.list(me.tenantId(), 0, 64, true));
        status(me, model);
        return "logs/index";
    }

    @GetMapping("/{id}")
    String request(@PathVariable String id, Model model) {
        KeysmithPrincipal me = CurrentMember.require();
        RequestLogEntry entry = logs.find(me.tenantId(), id).orElseThrow(() -> new KeysmithException.NotFound(
                "log_not_found", "There is no request with this id in this workspace's log."));
        model.addAttribute("row", LogRow.of(entry, keyNames(me)));
        status(me, model);
        return "logs/show";
    }

    private void status(KeysmithPrincipal me, Model model) {
        RequestLogs.Status status = logs.status();
        model.addAttribute("logStatus", status);
        model.addAttribute("droppedHere", logs.dropped(me.tenantId()));
    }

    private Map<String, String> keyNames(KeysmithPrincipal me) {
        Map<String, String> names = new HashMap<>();
        for (ApiKeyView key : keys.list(me.tenantId(), 0, 64, true)) {
            names.put(key.id().value(), key.name());
        }
        return names;
    }

    private TenantView tenant(KeysmithPrincipal me) {
        return directory.tenant(me.tenantId()).orElseThrow();
    }
}
