package dev.bigsegments.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {

    @Test
    void readsTheConfluentKeys() {
        RegistryConfig config = RegistryConfig.fromMap(Map.of(
                "schema.registry.url", "https://r1, https://r2",
                "basic.auth.user.info", "user:pass",
                "auto.register.schemas", "false",
                "bootstrap.servers", "ignored:9092"));

        assertThat(config).isEqualTo(new RegistryConfig("https://r1, https://r2", "user:pass", null, false));
    }

    @Test
    void autoRegisterDefaultsToTrueAndAcceptsABoolean() {
        assertThat(RegistryConfig.fromMap(Map.of("schema.registry.url", "mock://a")).autoRegister()).isTrue();
        assertThat(RegistryConfig.fromMap(Map.of("schema.registry.url", "mock://a", "auto.register.schemas", false))
                .autoRegister()).isFalse();
    }

    @Test
    void aKafkaPasswordIsUnwrapped() {
        RegistryConfig config = RegistryConfig.fromMap(Map.of(
                "schema.registry.url", "http://r", "bearer.auth.token", new Password("tok")));

        assertThat(config.bearerToken()).isEqualTo("tok");
    }

    @Test
    void aMissingUrlIsAClearError() {
        assertThatThrownBy(() -> RegistryConfig.fromMap(Map.of("bootstrap.servers", "k:9092")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema.registry.url");
    }

    @Test
    void badValuesAreClearErrors() {
        assertThatThrownBy(() -> RegistryConfig.fromMap(Map.of("schema.registry.url", "mock://a", "auto.register.schemas", "yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auto.register.schemas");
        assertThatThrownBy(() -> new RegistryConfig("http://r", "nocolon", null, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user:password");
        assertThatThrownBy(() -> new RegistryConfig("http://r", "u:p", "tok", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
    }

    @Test
    void toStringHidesCredentials() {
        assertThat(new RegistryConfig("http://r", "user:s3cret", null, true).toString())
                .doesNotContain("s3cret").contains("basicAuth=true");
    }
}
