package io.controlcenter.gateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Control Center's Ed25519 device identity (docs/PROTOCOL-NOTES.md, "Connection as implemented"): {@code device.id} is the lowercase hex SHA-256 of the raw
 * 32-byte public key, {@code device.publicKey} that key in base64url without padding; connects are signed with the
 * private key. The private key is a secret: {@link #toString()} shows the device id only.
 */
public final class DeviceIdentity {

    private static final int RAW_KEY = 32;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey privateKey;
    private final byte[] rawPublicKey;
    private final String id;

    private DeviceIdentity(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        byte[] spki = publicKey.getEncoded(); // X.509 SubjectPublicKeyInfo: the raw key is its last 32 bytes
        this.rawPublicKey = Arrays.copyOfRange(spki, spki.length - RAW_KEY, spki.length);
        this.id = deviceId(rawPublicKey);
    }

    /** A new random identity. */
    public static DeviceIdentity generate() {
        try {
            return of(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no Ed25519 (Java 15 or later has it)", e);
        }
    }

    /**
     * The identity of an Ed25519 private key in PKCS#8 DER ({@code openssl genpkey -algorithm ed25519}, Node's
     * {@code export({type: "pkcs8"})}). The public key is derived from it.
     */
    public static DeviceIdentity fromPkcs8(byte[] der) throws GeneralSecurityException {
        PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        byte[] seed = ((EdECPrivateKey) key).getBytes()
                .orElseThrow(() -> new GeneralSecurityException("the private key has no key bytes"));
        // RFC 8032: an Ed25519 key pair is a function of its 32-byte private key; the JDK's generator reads exactly
        // those bytes from its random source, so feeding it the key gives the key's public half.
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
        KeyPair pair = generator.generateKeyPair();
        DeviceIdentity identity = new DeviceIdentity(key, pair.getPublic());
        if (!identity.verifies(pair.getPublic())) {
            throw new GeneralSecurityException("cannot derive the public key of this Ed25519 key");
        }
        return identity;
    }

    /** The identity of a PEM {@code -----BEGIN PRIVATE KEY-----} block (PKCS#8, Ed25519). */
    public static DeviceIdentity fromPem(String pem) throws GeneralSecurityException {
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new GeneralSecurityException("expected a PEM block '" + begin + "' (PKCS#8 Ed25519, e.g. from "
                    + "openssl genpkey -algorithm ed25519)");
        }
        // line breaks may be real or written as \n (one line in an environment variable)
        String body = pem.substring(from + begin.length(), to).replace("\\n", "").replaceAll("\\s", "");
        try {
            return fromPkcs8(Base64.getDecoder().decode(body));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the PEM block is not valid base64");
        }
    }

    private static DeviceIdentity of(KeyPair pair) {
        return new DeviceIdentity(pair.getPrivate(), pair.getPublic());
    }

    /** Lowercase hex SHA-256 of a raw public key: the gateway's device id. */
    public static String deviceId(byte[] rawPublicKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rawPublicKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String id() {
        return id;
    }

    /** The raw public key, base64url without padding. */
    public String publicKey() {
        return BASE64URL.encodeToString(rawPublicKey);
    }

    /** The private key in PKCS#8 DER, to store it. */
    public byte[] pkcs8() {
        return privateKey.getEncoded();
    }

    /** The Ed25519 signature of the UTF-8 bytes of {@code payload}, base64url without padding. */
    public String sign(String payload) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(payload.getBytes(StandardCharsets.UTF_8));
            return BASE64URL.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the device key", e);
        }
    }

    private boolean verifies(PublicKey publicKey) throws GeneralSecurityException {
        byte[] probe = "control-center device key check".getBytes(StandardCharsets.UTF_8);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(privateKey);
        s.update(probe);
        byte[] signature = s.sign();
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(publicKey);
        v.update(probe);
        return v.verify(signature);
    }

    @Override
    public String toString() {
        return "device " + id;
    }

    /** A random source that returns one fixed byte string: the private key, for the generator above. */
    private static final class FixedBytes extends SecureRandom {
        private final byte[] bytes;

        FixedBytes(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void nextBytes(byte[] out) {
            System.arraycopy(bytes, 0, out, 0, Math.min(out.length, bytes.length));
        }
    }
}
