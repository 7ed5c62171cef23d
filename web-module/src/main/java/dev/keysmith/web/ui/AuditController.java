package dev.keysmith.web.ui;

import dev.keysmith.audit.AuditFilter;
import dev.keysmith.audit.AuditInstants;
import dev.keysmith.audit.AuditPage;
import dev.keysmith.audit.AuditProperties;
import dev.keysmith.audit.AuditTrail;
import dev.keysmith.audit.ExportFormat;
import dev.keysmith.audit.Replays;
import dev.keysmith.audit.TimeTravel;
import dev.keysmith.keys.ApiKeyView;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.web.security.CurrentMember;
import dev.keysmith.web.security.KeysmithPrincipal;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Audit tab (Owners and Auditors; SecurityConfiguration enforces it): the trail with filters and cursor paging,
 * the chain head and its verification, export links, time travel (keys and webhook endpoints at an instant, changes
 * between two), and the replay page (Owners see it; only the deployment's operators may replay), which polls a
 * small JSON status.
 */
@Controller
@RequestMapping("/audit")
class AuditController {

    static final int PAGE = 50;

    private final AuditTrail trail;
    private final TimeTravel timeTravel;
    private final Replays replays;
    private final AuditProperties properties;

    AuditController(AuditTrail trail, TimeTravel timeTravel, Replays replays, AuditProperties properties) {
        this.trail = trail;
        this.timeTravel = timeTravel;
        this.replays = replays;
        this.properties = properties;
    }

    /** The filter fields as typed, echoed back into the form. */
    record FilterForm(String from, String to, String type, String actor, String keyId, String endpointId) {

        Map<String, String> query() {
            Map<String, String> query = new LinkedHashMap<>();
            put(query, "from", from);
            put(query, "to", to);
            put(query, "type", type);
            put(query, "actor", actor);
            put(query, "keyId", keyId);
            put(query, "endpointId", endpointId);
            return query;
        }

        private static void put(Map<String, String> query, String name, String value) {
            if (value != null && !value.isBlank()) {
                query.put(name, value.strip());
            }
        }
    }

    @GetMapping
    String trail(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                 @RequestParam(required = false) String type, @RequestParam(required = false) String actor,
                 @RequestParam(required = false) String keyId, @RequestParam(required = false) String endpointId,
                 @RequestParam(required = false) String cursor, Model model, HttpServletResponse response) {
        KeysmithPrincipal me = CurrentMember.require();
        FilterForm form = new FilterForm(from, to, type, actor, keyId, endpointId);
        model.addAttribute("filter", form);
        model.addAttribute("head", trail.head(me.tenantId()).orElse(null));
        model.addAttribute("eventTypes", trail.eventTypes());
        try {
            AuditFilter filter = AuditInstants.filter(from, to, type, actor, keyId, endpointId);
            AuditPage page = trail.events(me.tenantId(), filter, cursor, PAGE);
            model.addAttribute("records", page.items());
            model.addAttribute("next", page.next());
            model.addAttribute("cursor", cursor);
        } catch (KeysmithException.InvalidInput invalid) {
            response.setStatus(400);
            model.addAttribute("errors", errors(invalid));
            model.addAttribute("records", List.of());
        }
        model.addAttribute("query", form.query());
        return "audit/index";
    }

    @GetMapping("/verify")
    String verify(Model model) {
        KeysmithPrincipal me = CurrentMember.require();
        model.addAttribute("check", trail.verify(me.tenantId()));
        return "audit/verify";
    }

    @GetMapping("/export")
    ResponseEntity<StreamingResponseBody> export(@RequestParam(required = false) String format,
                                                 @RequestParam(required = false) String from,
                                                 @RequestParam(required = false) String to,
                                                 @RequestParam(required = false) String type,
                                                 @RequestParam(required = false) String actor,
                                                 @RequestParam(required = false) String keyId,
                                                 @RequestParam(required = false) String endpointId) {
        KeysmithPrincipal me = CurrentMember.require();
        ExportFormat exportFormat = ExportFormat.parse(format);
        AuditFilter filter = AuditInstants.filter(from, to, type, actor, keyId, endpointId);
        StreamingResponseBody body = out -> trail.export(me.tenantId(), filter, exportFormat, out);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(exportFormat.mediaType() + ";charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-" + me.tenantId().value()
                        + "." + exportFormat.extension() + "\"")
                .body(body);
    }

    // ---- time travel ------------------------------------------------------------------------------------------

    /** One row of the time-travel table. */
    record KeyAt(ApiKeyView key, ApiKeyView.Status status) {
    }

    @GetMapping("/keys")
    String keys(@RequestParam(required = false) String at, @RequestParam(required = false) String from,
                @RequestParam(required = false) String to, Model model, HttpServletResponse response) {
        KeysmithPrincipal me = CurrentMember.require();
        String now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).toString();
        model.addAttribute("at", at == null || at.isBlank() ? now : at);
        model.addAttribute("from", from);
        model.addAttribute("to", to == null || to.isBlank() ? now : to);
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            Instant instant = at == null || at.isBlank() ? Instant.now() : AuditInstants.required("at", at);
            model.addAttribute("instant", instant);
            model.addAttribute("keys", timeTravel.keysAt(me.tenantId(), instant).stream()
                    .map(key -> new KeyAt(key, key.status(instant))).toList());
            model.addAttribute("endpoints", timeTravel.endpointsAt(me.tenantId(), instant));
        } catch (KeysmithException.InvalidInput invalid) {
            errors.putAll(errors(invalid));
        }
        if (from != null && !from.isBlank()) {
            try {
                Instant start = AuditInstants.required("from", from);
                Instant end = to == null || to.isBlank() ? Instant.now() : AuditInstants.required("to", to);
                model.addAttribute("changes", timeTravel.diff(me.tenantId(), start, end));
                model.addAttribute("endpointChanges", timeTravel.endpointDiff(me.tenantId(), start, end));
                model.addAttribute("diffFrom", start);
                model.addAttribute("diffTo", end);
            } catch (KeysmithException.InvalidInput invalid) {
                errors.putAll(errors(invalid));
            }
        }
        if (!errors.isEmpty()) {
            response.setStatus(400);
        }
        model.addAttribute("errors", errors);
        return "audit/keys";
    }

    // ---- replay (the deployment's operators) ---------------------------------------------------------------------

    /** Owners see the tab; a replay rebuilds every workspace's projection, so only the operators may start one. */
    @GetMapping("/replay")
    String replay(Model model) {
        requireOwner();
        boolean operator = operator();
        model.addAttribute("operator", operator);
        model.addAttribute("processors", operator ? replays.status() : List.of());
        return "audit/replay";
    }

    @PostMapping("/replay/{name}")
    String startReplay(@PathVariable String name, RedirectAttributes redirect) {
        requireOperator();
        try {
            replays.start(name);
            redirect.addFlashAttribute("flashSuccess", "Rebuilding " + name + " from the event store.");
        } catch (KeysmithException.Conflict | KeysmithException.Forbidden | KeysmithException.NotFound refusal) {
            redirect.addFlashAttribute("flashError", refusal.getMessage());
        }
        return "redirect:/audit/replay";
    }

    @GetMapping(path = "/replay/status", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    List<Replays.Status> replayStatus() {
        requireOperator();
        return replays.status();
    }

    private static void requireOwner() {
        if (!CurrentMember.require().role().canManageTenant()) {
            throw new KeysmithException.Forbidden("permission_denied", "Only owners can rebuild projections.");
        }
    }

    private boolean operator() {
        return properties.replayOperator(CurrentMember.require().email());
    }

    private void requireOperator() {
        requireOwner();
        if (!operator()) {
            throw new KeysmithException.Forbidden("permission_denied", "A replay rebuilds a projection for every "
                    + "workspace of this deployment: only its operators (KEYSMITH_REPLAY_OPERATORS) may start one.");
        }
    }

    private static Map<String, String> errors(KeysmithException.InvalidInput invalid) {
        Map<String, String> errors = new LinkedHashMap<>();
        invalid.errors().forEach(error -> errors.put(error.field(), error.message()));
        return errors;
    }
}
