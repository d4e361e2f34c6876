package dev.bigsegments.standalone;

import org.eclipse.microprofile.config.ConfigProvider;

/** What a person needs right after starting: where the API is, the token, and a first import. */
final class Banner {
    private Banner() {
    }

    /** @param redisSource which Redis runs and where it came from */
    static void print(String redisSource) {
        var config = ConfigProvider.getConfig();
        String port = config.getOptionalValue("quarkus.http.port", String.class).orElse("8080");
        String management = config.getOptionalValue("quarkus.management.port", String.class).orElse("9000");
        String token = config.getValue(StandaloneMain.TOKEN_PROPERTY, String.class);
        String base = "http://localhost:" + port + "/api/v2/segments/default/production";
        String redis = config.getValue("bigsegments.writer.redis.uri", String.class);
        String registry = config.getOptionalValue("bigsegments.ingest.registry-endpoint.port", String.class).orElse("8081");
        String kafka = config.getValue("bigsegments.kafka.bootstrap-servers", String.class);
        System.out.println("""

                Big segments sync is running.
                  HTTP API:      http://localhost:%1$s
                  Status page:   http://localhost:%1$s/   (enter the token there)
                  Health:        http://localhost:%5$s/q/health   (metrics: /q/metrics; the management port)
                  API docs:      http://localhost:%5$s/q/swagger-ui   (OpenAPI: /q/openapi)
                  Token:         %2$s
                  Redis store:   %3$s   (prefix launchdarkly)
                                 %8$s
                  Kafka:         %7$s
                  Registry:      http://localhost:%6$s   (Confluent-compatible; basic auth, any user, the token as password)
                  Environment:   project "default", environment "production", id "demo-client-side-id"

                Create a big segment, then import the sample list into it:
                  curl -sS -X POST -H 'Authorization: %2$s' -H 'Content-Type: application/json' \\
                    -d '{"key":"beta-users","name":"Beta users","unbounded":true,"unboundedContextKind":"user"}' \\
                    %4$s
                  curl -sS -i -X POST -H 'Authorization: %2$s' -F file=@samples/users.csv -F mode=replace \\
                    %4$s/beta-users/imports
                Then follow the Location header of the import to see its progress.
                """.formatted(port, token, redis, base, management, registry, kafka, redisSource));
    }
}
