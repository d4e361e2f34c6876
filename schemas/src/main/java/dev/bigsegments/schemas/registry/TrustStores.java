package dev.bigsegments.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An SSL context that trusts the CAs of a configured trust store, for a registry behind a private CA. */
final class TrustStores {
    private TrustStores() {
    }

    static SSLContext sslContext(RegistryConfig.TrustStore store) {
        char[] password = store.password() == null ? null : store.password().toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(store.location()))) {
            KeyStore keys = KeyStore.getInstance(store.type());
            keys.load(in, password);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(keys);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read the registry trust store " + store.location() + " ("
                    + RegistryConfig.TRUSTSTORE_LOCATION + ", type " + store.type() + "): " + e.getMessage(), e);
        }
    }
}
