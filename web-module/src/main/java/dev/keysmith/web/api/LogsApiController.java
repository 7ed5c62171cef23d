package dev.keysmith.web.api;

import dev.keysmith.keys.Environment;
import dev.keysmith.keys.KeysmithException;
import dev.keysmith.keys.RequestLogQuery;
import dev.keysmith.keys.RequestLogs;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The workspace's request log over the API: newest first, cursor pages, the Logs tab's filters. */
@RestController
@RequestMapping("/api/v1/logs")
@Tag(name = "Logs", description = "Every API request of the workspace, served or refused")
@SecurityRequirement(name = "bearer")
class LogsApiController {

    private final RequestLogs logs;

    LogsApiController(RequestLogs logs) {
        this.logs = logs;
    }

    @GetMapping
    @Operation(summary = "Search the request log", description = "Newest first. Returns {items, next}: pass next "
            + "as cursor for the following page (stable while new requests arrive). Development and Sandbox keys see "
            + "only their own environment's requests. Records are written asynchronously, within about a second.")
    Map<String, Object> search(ApiCaller caller,
                               @Parameter(description = "ISO-8601 instant or date (UTC), inclusive") @RequestParam(required = false) String from,
                               @Parameter(description = "ISO-8601 instant or date (end of that day, UTC), exclusive") @RequestParam(required = false) String to,
                               @Parameter(description = "a status (404) or a class (2xx, 4xx, 5xx)") @RequestParam(required = false) String status,
                               @RequestParam(required = false) String brand,
                               @Parameter(description = "production, development or sandbox") @RequestParam(required = false) String environment,
                               @RequestParam(required = false) String keyId,
                               @Parameter(description = "problem code, e.g. key_not_found") @RequestParam(required = false) String code,
                               @RequestParam(required = false) String cursor,
                               @Parameter(description = "1..100, default 50") @RequestParam(required = false) String limit) {
        ApiAccess.requireManager(caller);
        RequestLogQuery query = new LogFilters(from, to, status, brand, environment, keyId, code, cursor, limit)
                .toQuery();
        if (caller.environment() != Environment.PRODUCTION) {
            if (query.environment() != null && query.environment() != caller.environment()) {
                ApiAccess.requireEnvironment(caller, query.environment());
            }
            query = new RequestLogQuery(query.from(), query.to(), query.statusFrom(), query.statusTo(), query.brand(),
                    caller.environment(), query.keyId(), query.errorCode(), query.cursor(), query.limit());
        }
        RequestLogs.Page page = logs.search(caller.tenantId(), query);
        Map<String, Object> body = new LinkedHashMap<>();
        List<LogJson> items = page.items().stream().map(LogJson::of).toList();
        body.put("items", items);
        body.put("next", page.next() == null ? null : page.next().encode());
        return body;
    }

    @GetMapping("/{id}")
    @Operation(summary = "One request of the log")
    LogJson get(ApiCaller caller, @PathVariable String id) {
        ApiAccess.requireManager(caller);
        return logs.find(caller.tenantId(), id)
                .filter(entry -> caller.environment() == Environment.PRODUCTION
                        || entry.environment() == caller.environment())
                .map(LogJson::of)
                .orElseThrow(() -> new KeysmithException.NotFound("log_not_found",
                        "There is no request with this id in this workspace's log (it may have passed its retention)."));
    }
}
