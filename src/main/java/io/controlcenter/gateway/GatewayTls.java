package io.controlcenter.gateway;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Locale;

import javax.net.ssl.TrustManagerFactory;

import io.controlcenter.config.ConfigurationException;

/**
 * The certificates a {@code wss://} gateway is checked against: {@code gateway.tls.trust-store} (PKCS12, JKS, or PEM
 * certificates by its file name's extension) instead of the JVM's default trust. Read once at start; a file that cannot
 * be read fails the start naming the key, never showing the password.
 */
final class GatewayTls {

    static final String TRUST_STORE = "tls.trust-store";
    static final String TRUST_STORE_PASSWORD = "tls.trust-store-password";

    private GatewayTls() {
    }

    /** The trust of the gateway's {@code tls.trust-store}; null when unset (the JVM's default trust applies). */
    static TrustManagerFactory trust(GatewayKeys keys) {
        String file = keys.connection(TRUST_STORE).orElse(null);
        if (file == null) {
            return null;
        }
        String key = keys.connectionKey(TRUST_STORE);
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            throw new ConfigurationException(key + ": '" + file + "' is not a readable file");
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        String type = name.endsWith(".jks") ? "JKS" : name.endsWith(".pem") || name.endsWith(".crt") ? "PEM" : "PKCS12";
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PEM".equals(type) ? KeyStore.getDefaultType() : type);
            if ("PEM".equals(type)) {
                store.load(null, null);
                int n = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("cert-" + n++, c);
                }
                if (n == 0) {
                    throw new IllegalArgumentException("no certificate in it");
                }
            } else {
                String password = keys.connection(TRUST_STORE_PASSWORD).orElse("");
                store.load(in, password.isEmpty() ? null : password.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf;
        } catch (Exception e) {
            throw new ConfigurationException(key + ": cannot read '" + file + "' as a " + type + " trust store ("
                    + e.getMessage() + "; check " + keys.connectionKey(TRUST_STORE_PASSWORD) + ")");
        }
    }
}
