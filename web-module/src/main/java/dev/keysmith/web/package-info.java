/**
 * Web: the browser UI, the REST API and their security. The way in for people and API clients; it calls the other
 * modules' APIs and may depend on any of them, and no module depends on it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Web")
package dev.keysmith.web;
