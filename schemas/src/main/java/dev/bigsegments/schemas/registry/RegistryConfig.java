package dev.bigsegments.schemas.registry;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.types.Password;

/**
 * Where the schema registry is and how to authenticate, read from the usual Kafka-ecosystem keys.
 *
 * @param url                one or more registry URLs, comma-separated, or {@code mock://<scope>}
 * @param basicAuthUserInfo  {@code user:password} for HTTP basic auth, or null
 * @param bearerToken        token for bearer auth, or null
 * @param autoRegister       register schemas on first use; when false they must already be registered
 * @param normalize          ask the registry to normalize schemas before registering or looking them up
 * @param trustStore         the trust store for HTTPS, or null for the JVM's default
 */
public record RegistryConfig(String url, String basicAuthUserInfo, String bearerToken, boolean autoRegister,
        boolean normalize, TrustStore trustStore) {
    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String AUTO_REGISTER = "auto.register.schemas";
    public static final String NORMALIZE = "normalize.schemas";
    public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    /** Registering on first use is the Confluent serializers' default too. */
    public static final boolean DEFAULT_AUTO_REGISTER = true;

    /** A trust store file (PKCS12 unless {@code type} says otherwise) naming the CAs the registry's certificate may come from. */
    public record TrustStore(String location, String password, String type) {
        /** Keeps the password out of logs. */
        @Override
        public String toString() {
            return "TrustStore[" + location + ", " + type + "]";
        }
    }

    public RegistryConfig(String url, String basicAuthUserInfo, String bearerToken, boolean autoRegister) {
        this(url, basicAuthUserInfo, bearerToken, autoRegister, false, null);
    }

    public RegistryConfig {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("'" + URL + "' is required: the schema registry URL(s), or mock://<scope>");
        }
        if (basicAuthUserInfo != null && bearerToken != null) {
            throw new IllegalArgumentException("Set either '" + BASIC_AUTH_USER_INFO + "' or '" + BEARER_AUTH_TOKEN + "', not both");
        }
        if (basicAuthUserInfo != null && !basicAuthUserInfo.contains(":")) {
            throw new IllegalArgumentException("'" + BASIC_AUTH_USER_INFO + "' must look like user:password");
        }
    }

    /** Reads the registry keys from Kafka client/serde configs; other keys are ignored. */
    public static RegistryConfig fromMap(Map<String, ?> configs) {
        String trustStore = string(configs, TRUSTSTORE_LOCATION);
        return new RegistryConfig(string(configs, URL), string(configs, BASIC_AUTH_USER_INFO),
                string(configs, BEARER_AUTH_TOKEN), bool(configs, AUTO_REGISTER, DEFAULT_AUTO_REGISTER),
                bool(configs, NORMALIZE, false), trustStore == null ? null : new TrustStore(trustStore,
                        string(configs, TRUSTSTORE_PASSWORD), Objects.requireNonNullElse(string(configs, TRUSTSTORE_TYPE), "PKCS12")));
    }

    private static String string(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value instanceof Password password) {
            value = password.value();
        }
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        return value.toString().trim();
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
        String value = string(configs, key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("'" + key + "' must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** Keeps credentials out of logs. */
    @Override
    public String toString() {
        return "RegistryConfig[url=" + url + ", basicAuth=" + (basicAuthUserInfo != null)
                + ", bearerAuth=" + (bearerToken != null) + ", autoRegister=" + autoRegister + ", normalize=" + normalize
                + ", trustStore=" + trustStore + "]";
    }
}
