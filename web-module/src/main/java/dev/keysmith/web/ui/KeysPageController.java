package dev.keysmith.web.ui;

import dev.keysmith.keys.TenantDirectory;
import dev.keysmith.web.security.CurrentMember;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The keys page: the workspace's Client ID at the top, then its keys. */
@Controller
class KeysPageController {

    private final TenantDirectory directory;

    KeysPageController(TenantDirectory directory) {
        this.directory = directory;
    }

    @GetMapping("/keys")
    String keys(Model model) {
        model.addAttribute("tenant", directory.tenant(CurrentMember.require().tenantId()).orElseThrow());
        return "keys/index";
    }
}
