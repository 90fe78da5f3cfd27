package io.controlcenter.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 and localhost made with the JDK's keytool: the server's key store
 * ({@link #keyStore}, PKCS12), its certificate ({@link #certificate}, PEM) and a trust store holding only that
 * certificate ({@link #trustStore}, PKCS12 with {@link #TRUST_PASSWORD}).
 */
public record SelfSignedCertificate(Path keyStore, Path certificate, Path trustStore) {

    public static final String KEY_PASSWORD = "server-key-pw";
    public static final String TRUST_PASSWORD = "trust-store-pw";

    public static SelfSignedCertificate create(Path dir) throws IOException, InterruptedException {
        SelfSignedCertificate c = new SelfSignedCertificate(dir.resolve("gateway.p12"), dir.resolve("gateway.pem"),
                dir.resolve("trust.p12"));
        keytool("-genkeypair", "-alias", "gateway", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", c.keyStore.toString(), "-storepass", KEY_PASSWORD, "-keypass", KEY_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "gateway", "-keystore", c.keyStore.toString(), "-storepass", KEY_PASSWORD,
                "-file", c.certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "gateway", "-file", c.certificate.toString(), "-storetype", "PKCS12",
                "-keystore", c.trustStore.toString(), "-storepass", TRUST_PASSWORD);
        return c;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "keytool");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}
