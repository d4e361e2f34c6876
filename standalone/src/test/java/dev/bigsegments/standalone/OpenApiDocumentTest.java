package dev.bigsegments.standalone;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.ingest.rest.SegmentsResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document names every resource method of the ingest service (found by scanning its classes, so a
 * new endpoint without documentation fails here), with a summary, each path and query parameter described, and
 * its answers; Swagger UI is served beside it.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineTestResource.class, restrictToAnnotatedClass = false)
class OpenApiDocumentTest {
    private static final List<Class<? extends Annotation>> METHODS = List.of(GET.class, POST.class, PUT.class,
            DELETE.class);

    @TestHTTPResource(value = "openapi", management = true)
    URL openapi;

    @TestHTTPResource(value = "swagger-ui/", management = true)
    URL swaggerUi;

    @Test
    void everyResourceMethodIsDocumentedWithItsParametersAndAnswers() throws Exception {
        JsonPath spec = given().accept("application/json").get(openapi + "?format=json").then().statusCode(200)
                .extract().jsonPath();
        List<Method> methods = resourceMethods();
        assertThat(methods).as("resource methods found").hasSizeGreaterThanOrEqualTo(12);
        for (Method m : methods) {
            String path = path(m);
            String verb = verb(m);
            Map<String, Object> operation = spec.getMap("paths.'" + path + "'." + verb);
            String where = verb.toUpperCase() + " " + path + " (" + m.getDeclaringClass().getSimpleName() + "."
                    + m.getName() + ")";
            assertThat(operation).as(where + " is in the document").isNotNull();
            assertThat((String) operation.get("summary")).as(where + " has a summary").isNotBlank();
            Map<String, Object> responses = castMap(operation.get("responses"));
            assertThat(responses).as(where + " answers").isNotEmpty();
            assertThat(responses.keySet()).as(where + " documents a success and its errors")
                    .anyMatch(code -> code.startsWith("2")).contains("429", "500")
                    .contains(path.startsWith("/api/v2/segment-targets/") ? "403" : "401");
            for (String name : parameterNames(m)) {
                assertThat(parameter(operation, name)).as(where + " describes parameter " + name)
                        .extractingByKey("description").asString().isNotBlank();
            }
        }
        assertThat(spec.getMap("components.schemas.Error.properties")).containsKeys("code", "message");
        given().get(swaggerUi).then().statusCode(200);
    }

    /** The path and query parameters of a method, its own and those of its {@code @BeanParam}s. */
    private static List<String> parameterNames(Method m) {
        List<AnnotatedElement> elements = new ArrayList<>();
        for (Parameter p : m.getParameters()) {
            if (p.isAnnotationPresent(BeanParam.class)) {
                elements.addAll(List.of(p.getType().getDeclaredFields()));
            } else {
                elements.add(p);
            }
        }
        List<String> names = new ArrayList<>();
        for (AnnotatedElement e : elements) {
            if (e.isAnnotationPresent(PathParam.class)) {
                names.add(e.getAnnotation(PathParam.class).value());
            } else if (e.isAnnotationPresent(QueryParam.class)) {
                names.add(e.getAnnotation(QueryParam.class).value());
            }
        }
        return names;
    }

    private static Map<String, Object> parameter(Map<String, Object> operation, String name) {
        List<Map<String, Object>> parameters = castList(operation.get("parameters"));
        return parameters == null ? null
                : parameters.stream().filter(p -> name.equals(p.get("name"))).findFirst().orElse(null);
    }

    /** Every method of a class under the ingest service's package with a JAX-RS path and an HTTP method. */
    private static List<Method> resourceMethods() throws Exception {
        java.nio.file.Path root = Paths.get(SegmentsResource.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        List<Method> out = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(root.resolve("dev/bigsegments/ingest"))) {
            for (java.nio.file.Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, SegmentsResource.class.getClassLoader());
                if (type.isAnnotationPresent(Path.class)) {
                    Stream.of(type.getDeclaredMethods()).filter(m -> verb(m) != null).forEach(out::add);
                }
            }
        }
        return out;
    }

    private static String verb(Method m) {
        return METHODS.stream().filter(m::isAnnotationPresent).map(a -> a.getSimpleName().toLowerCase()).findFirst()
                .orElse(null);
    }

    private static String path(Method m) {
        String base = m.getDeclaringClass().getAnnotation(Path.class).value();
        Path own = m.getAnnotation(Path.class);
        return own == null ? base : base + own.value();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> castList(Object o) {
        return (List<Map<String, Object>>) o;
    }
}
