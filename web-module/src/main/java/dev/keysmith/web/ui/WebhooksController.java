package dev.keysmith.web.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.webhooks.DeliveryView;
import dev.keysmith.webhooks.EventType;
import dev.keysmith.webhooks.WebhookEndpointId;
import dev.keysmith.webhooks.WebhookEndpointView;
import dev.keysmith.webhooks.Webhooks;
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
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The webhooks pages: the endpoint list (with a banner for endpoints Keysmith disabled or that keep failing), a
 * new endpoint, an endpoint's page (settings, test, enable/disable, secret rotation, delete, its delivery log with
 * filters and a redeliver-failed form), one delivery with each attempt's signed headers and a resend button, and
 * the one page that shows a signing secret. Everyone may read; only Owners and Admins change anything, checked on
 * every POST.
 */
@Controller
@RequestMapping("/webhooks")
class WebhooksController {

    static final int LOG_PAGE = 25;

    /** How long the previous secret keeps signing after a rotation. */
    enum Overlap {
        NONE("none", "None: the old secret stops signing at once", Duration.ZERO),
        HOUR("1h", "1 hour", Duration.ofHours(1)),
        DAY("24h", "24 hours (default)", Duration.ofHours(24)),
        WEEK("7d", "7 days", Duration.ofDays(7));

        private final String value;
        private final String label;
        private final Duration duration;

        Overlap(String value, String label, Duration duration) {
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

        static Overlap parse(String raw) {
            for (Overlap overlap : values()) {
                if (overlap.value.equals(raw == null || raw.isBlank() ? "24h" : raw.strip())) {
                    return overlap;
                }
            }
            throw new KeysmithException.InvalidInput("overlap", "Choose an overlap: none, 1 hour, 24 hours or 7 days.");
        }
    }

    /** An endpoint form: name, URL, environment and the subscribed types (checkboxes). */
    static final class EndpointForm {
        private String name;
        private String url;
        private String environment = "production";
        private List<String> events = List.of();

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public String getEnvironment() { return environment; }
        public void setEnvironment(String environment) { this.environment = environment; }
        public List<String> getEvents() { return events; }
        public void setEvents(List<String> events) { this.events = events == null ? List.of() : events; }

        static EndpointForm of(WebhookEndpointView endpoint) {
            EndpointForm form = new EndpointForm();
            form.name = endpoint.name();
            form.url = endpoint.url();
            form.environment = endpoint.environment().json();
            form.events = endpoint.events().stream().map(EventType::type).toList();
            return form;
        }
    }

    private final Webhooks webhooks;
    private final ObjectMapper json;

    WebhooksController(Webhooks webhooks, ObjectMapper json) {
        this.webhooks = webhooks;
        this.json = json;
    }

    @GetMapping
    String list(Model model) {
        KeysmithPrincipal me = CurrentMember.require();
        List<WebhookEndpointView> endpoints = webhooks.list(me.tenantId());
        model.addAttribute("endpoints", endpoints);
        model.addAttribute("troubled", endpoints.stream().filter(e -> !e.enabled() && e.disabledReason() != null
                && e.disabledReason() != dev.keysmith.webhooks.DisableReason.MANUAL || e.enabled() && e.warning()).toList());
        return "webhooks/index";
    }

    @GetMapping("/new")
    String newEndpoint(@ModelAttribute("form") EndpointForm form, Model model) {
        requireManager();
        form.setEvents(EventType.subscribable().stream().filter(t -> t.type().startsWith("key.")).map(EventType::type).toList());
        return formPage(model);
    }

    @PostMapping("/new")
    String create(@ModelAttribute("form") EndpointForm form, BindingResult result, Model model,
                  HttpServletResponse response) {
        KeysmithPrincipal me = requireManager();
        try {
            Webhooks.IssuedSecret issued = webhooks.create(me.tenantId(), new Webhooks.EndpointSpec(form.getName(),
                    form.getUrl(), form.getEnvironment(), form.getEvents()));
            return secretPage(issued, "created", model, response);
        } catch (KeysmithException.InvalidInput refusal) {
            Forms.reject(result, refusal);
        } catch (KeysmithException.Conflict refusal) {
            response.setStatus(HttpStatus.CONFLICT.value());
            result.reject(refusal.code(), refusal.getMessage());
        }
        response.setStatus(response.getStatus() == 200 ? HttpStatus.BAD_REQUEST.value() : response.getStatus());
        return formPage(model);
    }

    private String formPage(Model model) {
        model.addAttribute("environments", Environment.values());
        model.addAttribute("eventTypes", EventType.subscribable());
        return "webhooks/new";
    }

    @GetMapping("/{id}")
    String show(@PathVariable String id, @RequestParam(required = false) String status,
                @RequestParam(required = false) String eventType, @RequestParam(required = false) String next,
                Model model) {
        KeysmithPrincipal me = CurrentMember.require();
        WebhookEndpointView endpoint = owned(me, id);
        if (!model.containsAttribute("editForm")) {
            model.addAttribute("editForm", EndpointForm.of(endpoint));
        }
        DeliveryView.Status statusFilter = status == null || status.isBlank() ? null : DeliveryView.Status.parse(status);
        EventType typeFilter = eventType == null || eventType.isBlank() ? null : EventType.of(eventType);
        Webhooks.DeliveryPage page = webhooks.deliveries(me.tenantId(), endpoint.id(),
                new Webhooks.DeliveryFilter(statusFilter, typeFilter, null, null), next, LOG_PAGE);
        model.addAttribute("endpoint", endpoint);
        model.addAttribute("page", page);
        model.addAttribute("status", statusFilter == null ? "" : statusFilter.json());
        model.addAttribute("eventType", typeFilter == null ? "" : typeFilter.type());
        model.addAttribute("statuses", DeliveryView.Status.values());
        model.addAttribute("environments", Environment.values());
        model.addAttribute("eventTypes", EventType.subscribable());
        model.addAttribute("overlaps", Overlap.values());
        model.addAttribute("now", Instant.now());
        return "webhooks/show";
    }

    @PostMapping("/{id}")
    String update(@PathVariable String id, @ModelAttribute("editForm") EndpointForm form, BindingResult result,
                  Model model, RedirectAttributes redirect, HttpServletResponse response) {
        KeysmithPrincipal me = requireManager();
        WebhookEndpointView endpoint = owned(me, id);
        try {
            webhooks.update(me.tenantId(), endpoint.id(), new Webhooks.EndpointSpec(form.getName(), form.getUrl(),
                    form.getEnvironment(), form.getEvents()));
            Forms.flashSuccess(redirect, "Endpoint saved.");
            return "redirect:/webhooks/" + endpoint.id().value();
        } catch (KeysmithException.InvalidInput refusal) {
            Forms.reject(result, refusal);
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return show(id, null, null, null, model);
        }
    }

    @PostMapping("/{id}/test")
    String test(@PathVariable String id, RedirectAttributes redirect) {
        KeysmithPrincipal me = requireManager();
        WebhookEndpointView endpoint = owned(me, id);
        try {
            DeliveryView delivery = webhooks.sendTest(me.tenantId(), endpoint.id());
            Forms.flashSuccess(redirect, "Test event queued (" + delivery.messageId() + ").");
        } catch (KeysmithException.Conflict refusal) {
            Forms.flashError(redirect, refusal);
        }
        return "redirect:/webhooks/" + endpoint.id().value();
    }

    @PostMapping("/{id}/enable")
    String enable(@PathVariable String id, RedirectAttributes redirect) {
        KeysmithPrincipal me = requireManager();
        WebhookEndpointView endpoint = owned(me, id);
        webhooks.enable(me.tenantId(), endpoint.id());
        Forms.flashSuccess(redirect, "Endpoint enabled. Failed messages can be redelivered below.");
        return "redirect:/webhooks/" + endpoint.id().value();
    }

    @PostMapping("/{id}/disable")
    String disable(@PathVariable String id, RedirectAttributes redirect) {
        KeysmithPrincipal me = requireManager();
        WebhookEndpointView endpoint = owned(me, id);
        webhooks.disable(me.tenantId(), endpoint.id());
        Forms.flashSuccess(redirect, "Endpoint disabled: nothing is sent to it until it is enabled again.");
        return "redirect:/webhooks/" + endpoint.id().value();
    }

    @PostMapping("/{id}/delete")
    String delete(@PathVariable String id, RedirectAttributes redirect) {
        KeysmithPrincipal me = requireManager();
        WebhookEndpointView endpoint = owned(me, id);
        webhooks.delete(me.tenantId(), endpoint.id());
        Forms.flashSuccess(redirect, "Endpoint \"" + endpoint.name() + "\" deleted.");
        return "redirect:/webhooks";
    }

    @PostMapping("/{id}/rotate")
    String rotate(@PathVariable String id, @RequestParam(required = false) String overlap, Model model,
                  RedirectAttributes redirect, HttpServletResponse response) {
        KeysmithPrincipal me = requireManager();
        WebhookEndpointView endpoint = owned(me, id);
        try {
            Webhooks.IssuedSecret issued = webhooks.rotateSecret(me.tenantId(), endpoint.id(),
                    Overlap.parse(overlap).duration);
            return secretPage(issued, "rotated", model, response);
        } catch (KeysmithException.InvalidInput | KeysmithException.Conflict refusal) {
            Forms.flashError(redirect, refusal);
            return "redirect:/webhooks/" + endpoint.id().value();
        }
    }

    @PostMapping("/{id}/redeliver")
    String redeliver(@PathVariable String id, @RequestParam(required = false) String from,
                     @RequestParam(required = false) String to, RedirectAttributes redirect) {
        KeysmithPrincipal me = requireManager();
        WebhookEndpointView endpoint = owned(me, id);
        try {
            int count = webhooks.redeliverFailed(me.tenantId(), endpoint.id(), local("from", from), local("to", to));
            Forms.flashSuccess(redirect, count == 0 ? "No failed message in that range."
                    : count + " failed message" + (count == 1 ? "" : "s") + " queued again.");
        } catch (KeysmithException.InvalidInput | KeysmithException.Conflict refusal) {
            Forms.flashError(redirect, refusal);
        }
        return "redirect:/webhooks/" + endpoint.id().value();
    }

    @GetMapping("/{id}/deliveries/{deliveryId}")
    String delivery(@PathVariable String id, @PathVariable String deliveryId, Model model) {
        KeysmithPrincipal me = CurrentMember.require();
        WebhookEndpointView endpoint = owned(me, id);
        DeliveryView delivery = webhooks.delivery(me.tenantId(), endpoint.id(), deliveryId)
                .orElseThrow(Webhooks::deliveryNotFound);
        model.addAttribute("endpoint", endpoint);
        model.addAttribute("delivery", delivery);
        model.addAttribute("payload", pretty(delivery.body()));
        List<DeliveryView.Attempt> newestFirst = new java.util.ArrayList<>(delivery.attempts());
        java.util.Collections.reverse(newestFirst);
        model.addAttribute("attempts", newestFirst);
        return "webhooks/delivery";
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/resend")
    String resend(@PathVariable String id, @PathVariable String deliveryId, RedirectAttributes redirect) {
        KeysmithPrincipal me = requireManager();
        WebhookEndpointView endpoint = owned(me, id);
        try {
            DeliveryView delivery = webhooks.resend(me.tenantId(), endpoint.id(), deliveryId);
            Forms.flashSuccess(redirect, "Message " + delivery.messageId() + " queued again (same webhook-id).");
        } catch (KeysmithException.Conflict refusal) {
            Forms.flashError(redirect, refusal);
        }
        return "redirect:/webhooks/" + endpoint.id().value() + "/deliveries/" + deliveryId;
    }

    private String secretPage(Webhooks.IssuedSecret issued, String action, Model model, HttpServletResponse response) {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        model.addAttribute("issued", issued);
        model.addAttribute("action", action);
        return "webhooks/secret";
    }

    private String pretty(String body) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(body));
        } catch (Exception notJson) {
            return body;
        }
    }

    /** A datetime-local value (UTC) or an ISO instant. */
    static Instant local(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            throw new KeysmithException.InvalidInput(field, "Give both ends of the time range (UTC).");
        }
        try {
            return Instant.parse(raw.strip());
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDateTime.parse(raw.strip()).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                throw new KeysmithException.InvalidInput(field, "\"" + raw + "\" is not a date and time.");
            }
        }
    }

    private WebhookEndpointView owned(KeysmithPrincipal me, String id) {
        return webhooks.find(me.tenantId(), WebhookEndpointId.parse(id)).orElseThrow(Webhooks::endpointNotFound);
    }

    private static KeysmithPrincipal requireManager() {
        KeysmithPrincipal me = CurrentMember.require();
        if (!me.role().canManageKeys()) {
            throw new KeysmithException.Forbidden("forbidden", "Only owners and admins can create or change webhook "
                    + "endpoints; your role (" + me.role().label() + ") may read them.");
        }
        return me;
    }
}
