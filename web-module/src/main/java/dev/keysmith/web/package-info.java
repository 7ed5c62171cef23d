/**
 * Web: the Thymeleaf UI, the REST API and their security (form login for people, API keys for programs), with
 * errors as RFC 9457 problem+json on the API and messages beside the fields in the UI. Speaks to the other
 * modules only through their facades and Axon gateways.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Web")
package dev.keysmith.web;
