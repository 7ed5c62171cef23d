package dev.keysmith;

import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every route the running application maps, read from Spring's handler mappings (controllers, actuator,
 * springdoc), so the attack tests cover a new route without anyone listing it; and how to fill a route's path
 * variables with one workspace's ids.
 */
final class Routes {

    record Route(String pattern, String method) {
        boolean api() {
            return pattern.startsWith("/api/");
        }

        List<String> variables() {
            List<String> names = new ArrayList<>();
            Matcher matcher = VARIABLE.matcher(pattern);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names;
        }
    }

    private static final Pattern VARIABLE = Pattern.compile("\\{([^}*]+)}");

    private Routes() {
    }

    /** Every (pattern, method); a mapping that names no method answers all, and is listed as GET and POST. */
    static List<Route> all(ApplicationContext context) {
        Set<Route> routes = new LinkedHashSet<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<String> methods = new TreeSet<>();
                info.getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
                if (methods.isEmpty()) {
                    methods.addAll(List.of(RequestMethod.GET.name(), RequestMethod.POST.name()));
                }
                for (String pattern : info.getPatternValues()) {
                    for (String method : methods) {
                        routes.add(new Route(pattern, method));
                    }
                }
            }
        }
        return new ArrayList<>(routes);
    }

    /**
     * The route's path with each variable filled with the id of that kind: the parent object's from
     * {@code parent}, a delivery (a child of an endpoint) from {@code child}. A variable this does not know fails,
     * so a new kind of id cannot slip past the tests unnoticed.
     */
    static String fill(Route route, Workspace parent, Workspace child) {
        String pattern = route.pattern();
        Matcher matcher = VARIABLE.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = switch (name) {
                case "id" -> pattern.startsWith("/webhooks/") || pattern.startsWith("/api/v1/webhooks/")
                        || pattern.contains("/audit/endpoints/") ? parent.endpointId()
                        : pattern.startsWith("/logs/") || pattern.startsWith("/api/v1/logs/") ? parent.logId()
                        : pattern.contains("/keys/") ? parent.keyId()
                        : unknown(pattern, name);
                case "deliveryId" -> child.deliveryId();
                case "memberId" -> parent.memberId();
                case "code" -> pattern.startsWith("/docs/errors/") ? "unknown_key" : unknown(pattern, name);
                case "name" -> pattern.startsWith("/audit/replay/") ? "unknown-projection" : unknown(pattern, name);
                default -> unknown(pattern, name);
            };
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString().replace("/**", "/x");
    }

    private static String unknown(String pattern, String variable) {
        throw new AssertionError("Route " + pattern + " has a path variable {" + variable + "} the attack tests do not "
                + "know: teach Routes.fill() which id it carries (or list the route as tenant-free, with the reason)");
    }
}
