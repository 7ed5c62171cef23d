package dev.keysmith.web.api;

import io.swagger.v3.oas.models.Components;
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
                .components(new Components().addSecuritySchemes("bearer", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("ks_<env>_<38 chars>")));
    }
}
