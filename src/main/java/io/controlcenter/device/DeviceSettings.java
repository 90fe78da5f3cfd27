package io.controlcenter.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import io.controlcenter.config.ConfigurationException;
import io.controlcenter.config.Settings;
import io.controlcenter.gateway.DeviceIdentity;
import org.apache.camel.CamelContext;

/**
 * The device identity an operator supplies ({@code device.private-key-file} or {@code device.private-key}: an Ed25519
 * private key in PKCS#8 PEM), or none: then Control Center makes one and keeps it in the database. A key that cannot be
 * read fails the start naming its key, never showing the key.
 */
public record DeviceSettings(DeviceIdentity supplied, String source) {

    public static final String PREFIX = "device.";
    static final String KEY_FILE = "private-key-file";
    static final String KEY = "private-key";

    public static DeviceSettings load(CamelContext context) {
        Settings s = new Settings(context.getPropertiesComponent(), PREFIX);
        String file = s.raw(KEY_FILE).orElse(null);
        String pem = s.raw(KEY).orElse(null);
        if (file != null && pem != null) {
            throw new ConfigurationException(PREFIX + KEY_FILE + " (CC_DEVICE_KEY_FILE) and " + PREFIX + KEY
                    + " (CC_DEVICE_KEY) are both set: set one of them");
        }
        if (file != null) {
            String key = PREFIX + KEY_FILE + " (CC_DEVICE_KEY_FILE)";
            Path path = Path.of(file);
            if (!Files.isReadable(path)) {
                throw new ConfigurationException(key + ": '" + file + "' is not a readable file");
            }
            try {
                return new DeviceSettings(parse(key, Files.readString(path)), "file " + file);
            } catch (IOException e) {
                throw new ConfigurationException(key + ": cannot read '" + file + "' (" + e.getMessage() + ")");
            }
        }
        if (pem != null) {
            return new DeviceSettings(parse(PREFIX + KEY + " (CC_DEVICE_KEY)", pem), PREFIX + KEY);
        }
        return new DeviceSettings(null, "database");
    }

    private static DeviceIdentity parse(String key, String pem) {
        try {
            return DeviceIdentity.fromPem(pem);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new ConfigurationException(key + ": not an Ed25519 private key (" + e.getMessage() + "); make one with "
                    + "`openssl genpkey -algorithm ed25519 -out device-key.pem`");
        }
    }
}
