package dev.keysmith.web.ui;

import dev.keysmith.keys.TenantDirectory;
import dev.keysmith.keys.TenantView;
import dev.keysmith.web.security.CurrentMember;
import dev.keysmith.web.security.KeysmithPrincipal;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What the layout shows on every page: the signed-in member and their workspace. */
@ControllerAdvice(basePackageClasses = LayoutModel.class)
class LayoutModel {

    private final TenantDirectory directory;

    LayoutModel(TenantDirectory directory) {
        this.directory = directory;
    }

    @ModelAttribute("me")
    KeysmithPrincipal me() {
        return CurrentMember.get().orElse(null);
    }

    @ModelAttribute("workspace")
    TenantView workspace() {
        return CurrentMember.get().flatMap(member -> directory.tenant(member.tenantId())).orElse(null);
    }
}
