package dev.keysmith.web.ui;

import dev.keysmith.keys.KeysmithException;
import dev.keysmith.web.api.ErrorCatalog;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The product's docs about API error codes: where every problem's {@code type} URI leads. Public. */
@Controller
class DocsController {

    @GetMapping("/docs/errors")
    String errors(Model model) {
        model.addAttribute("entries", ErrorCatalog.all());
        return "docs/errors";
    }

    /** The webhook event-type catalog: each type, when it fires, an example payload. */
    @GetMapping("/docs/webhooks")
    String webhookEvents(Model model) {
        model.addAttribute("eventTypes", dev.keysmith.webhooks.EventType.values());
        return "docs/webhooks";
    }

    /** For subscribers: how to verify a delivery (Java, Python, Node, curl + openssl), retries, deduplication. */
    @GetMapping("/docs/webhooks/verify")
    String webhookVerification() {
        return "docs/webhooks-verify";
    }

    @GetMapping("/docs/errors/{code}")
    String error(@PathVariable String code, Model model) {
        ErrorCatalog.Entry entry = ErrorCatalog.get(code);
        if (entry == null && code.startsWith("invalid_")) {
            entry = ErrorCatalog.get("invalid_request");
        }
        if (entry == null) {
            throw new KeysmithException.NotFound("not_found", "There is no error code \"" + code + "\".");
        }
        model.addAttribute("entries", java.util.List.of(entry));
        model.addAttribute("single", true);
        return "docs/errors";
    }
}
