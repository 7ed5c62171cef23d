package dev.keysmith.keys.apikey;

import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeySecrets;

/**
 * Issues a key's new secret when it is rotated: the aggregate asks for one of the key's own environment. A bean
 * (random secrets, {@link KeySecrets#generate}) that Axon hands to the command handler; aggregate tests give a
 * known secret instead.
 */
@FunctionalInterface
interface SecretIssuer {

    KeySecrets.NewSecret issue(Environment environment);
}
