package dev.keysmith.web.api;

import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeysmithException;

/** What a verified key may do beyond being valid: the last step of verification, per route. */
final class ApiAccess {

    private ApiAccess() {
    }

    /** Key management needs a regular key: temporary keys may only identify themselves and verify keys. */
    static void requireManager(ApiCaller caller) {
        if (caller.key().temporary()) {
            throw new KeysmithException.Forbidden("permission_denied",
                    "Temporary keys cannot manage keys: use a regular key of the workspace.");
        }
    }

    /** Production keys manage every environment; Development and Sandbox keys only their own. */
    static void requireEnvironment(ApiCaller caller, Environment target) {
        if (caller.environment() != Environment.PRODUCTION && caller.environment() != target) {
            throw new KeysmithException.Forbidden("environment_not_allowed", "A " + caller.environment().label()
                    + " key may manage only " + caller.environment().label() + " keys; this one is "
                    + target.label() + ". Use a Production key.");
        }
    }
}
