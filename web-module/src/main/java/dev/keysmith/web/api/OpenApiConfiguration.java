package dev.keysmith.web.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at /v3/api-docs, browsable at /swagger-ui.html. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI keysmithOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Keysmith API").version("v1").description("""
                        API keys for your integrations. Authenticate every request with \
                        `Authorization: Bearer <key>`; `X-Access-Client-Id` is optional and must be your \
                        workspace's Client ID when sent. Errors are RFC 9457 problem+json with a stable `code`; \
                        each code is explained at /docs/errors/{code}."""))
                .components(new Components()
                        .addSecuritySchemes("bearer", new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("ks_<env>_<38 chars>"))
                        .addSchemas("Problem", problemSchema()));
    }

    /**
     * Documents on every operation the problem+json answers it can give: the credential refusals on every
     * authenticated route, and the request refusals on every route, each listing its codes.
     */
    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
            boolean authenticated = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
            if (authenticated) {
                operation.getResponses().putIfAbsent("401", problem("Credentials refused: " + codes(401)));
                operation.getResponses().putIfAbsent("403", problem("A valid key that may not do this: " + codes(403)));
                operation.getResponses().putIfAbsent("503",
                        problem("This node is still loading its keys after a start (Retry-After): service_unavailable"));
            }
            operation.getResponses().putIfAbsent("400", problem("Invalid input (errors[] names each field): "
                    + "invalid_request, malformed_json"));
            if (path.contains("{id}")) {
                operation.getResponses().putIfAbsent("404", problem("No such key in this workspace: key_not_found"));
            }
            if (path.startsWith("/api/v1/keys") && !path.endsWith("/verify")) {
                operation.getResponses().putIfAbsent("409", problem("Conflicts with the key's state or the plan: "
                        + codes(409)));
                operation.getResponses().putIfAbsent("429", problem("Too many creates and rotations (Retry-After): "
                        + "rate_limited"));
            }
        }));
    }

    private static String codes(int status) {
        return String.join(", ", ErrorCatalog.all().stream().filter(entry -> entry.status() == status)
                .map(ErrorCatalog.Entry::code).toList());
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(
                "application/problem+json", new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem details; each code is explained at /docs/errors/{code}")
                .addProperty("type", new StringSchema().description("Link to the code's documentation"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema().description("One line that says how to fix it"))
                .addProperty("instance", new StringSchema())
                .addProperty("code", new StringSchema().description("Stable machine-readable code"));
    }
}
