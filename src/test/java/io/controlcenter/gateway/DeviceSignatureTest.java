package io.controlcenter.gateway;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.Fixtures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The signed device block (docs/PROTOCOL-NOTES.md, "Connection as implemented"): with the key of RFC 8032's first test vector and a captured challenge, the
 * device id, public key, v3 string and signature are what an independent implementation (Node's crypto, which the
 * gateway itself uses) computes, and the JDK verifies the signature with the RFC's public key.
 */
class DeviceSignatureTest {

    /** RFC 8032 §7.1, test 1: secret key and public key. */
    private static final String SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private static final String PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    /** The same key as PEM (Node: createPrivateKey(...).export({type: "pkcs8", format: "pem"})). */
    private static final String PEM = "-----BEGIN PRIVATE KEY-----\n"
            + "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n-----END PRIVATE KEY-----\n";
    /** Computed with Node 24: sha256 of the raw key; base64url of it; crypto.sign(null, payload, key). */
    private static final String ID = "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9";
    private static final String PUBLIC_B64URL = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    private static final String NODE_SIGNATURE =
            "eOK2gXwjhBdDQIcYqHOpRKVGM2EfNR5yYPM2suob_d8W7TXTY23UHtxkMPCKeocq3cB0S9USIp5KokE8QcA7Cg";
    private static final String NONCE = "2d2d5316-7407-4c5b-bfa2-b2597c3f9530";
    private static final long TS = 1796236458613L;

    private static DeviceIdentity rfcKey() throws Exception {
        byte[] pkcs8 = HexFormat.of().parseHex("302e020100300506032b657004220420" + SEED);
        return DeviceIdentity.fromPkcs8(pkcs8);
    }

    @Test
    void idAndPublicKeyAreDerivedFromThePrivateKey() throws Exception {
        DeviceIdentity device = rfcKey();
        assertEquals(PUBLIC_B64URL, device.publicKey());
        assertEquals(PUBLIC, HexFormat.of().formatHex(Base64.getUrlDecoder().decode(device.publicKey())));
        assertEquals(ID, device.id());
        assertFalse(device.publicKey().contains("="), "base64url without padding");
        assertEquals(ID, DeviceIdentity.fromPem(PEM).id());
        assertFalse(device.toString().contains(SEED), "toString shows the device id only");
    }

    @Test
    void theV3StringHasTheFieldsInTheGatewaysOrder() {
        String payload = Handshake.signedPayload(ID, List.of("operator.read", "operator.write"), TS, "shared-token", NONCE);
        assertEquals("v3|" + ID + "|gateway-client|backend|operator|operator.read,operator.write|1796236458613|shared-token|"
                + NONCE + "|" + Handshake.PLATFORM + "|", payload);
    }

    @Test
    void theSignatureIsNodesAndTheJdkVerifiesItWithTheRfcPublicKey() throws Exception {
        String payload = "v3|" + ID + "|gateway-client|backend|operator|operator.read,operator.write|" + TS
                + "|shared-token|" + NONCE + "|linux|";
        String signature = rfcKey().sign(payload);
        assertEquals(NODE_SIGNATURE, signature, "Ed25519 is deterministic: same key and text, same signature");
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                HexFormat.of().parseHex("302a300506032b6570032100" + PUBLIC))));
        v.update(payload.getBytes(StandardCharsets.UTF_8));
        assertTrue(v.verify(Base64.getUrlDecoder().decode(signature)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theConnectParamsCarryTheSignedDeviceForTheChallenge() throws Exception {
        DeviceIdentity device = rfcKey();
        Map<String, Object> params = Handshake.connectParams(Map.of("nonce", NONCE, "ts", TS), device,
                List.of("operator.read", "operator.write"), new Handshake.Credentials("shared-token", null));
        Map<String, Object> signed = (Map<String, Object>) params.get("device");
        assertEquals(Map.of("id", ID, "publicKey", PUBLIC_B64URL, "signedAt", TS, "nonce", NONCE,
                "signature", device.sign(Handshake.signedPayload(ID, List.of("operator.read", "operator.write"), TS,
                        "shared-token", NONCE))), signed);
        assertEquals(Map.of("token", "shared-token"), params.get("auth"));

        // with a device token, that token is sent (alone) and signed
        Map<String, Object> withToken = Handshake.connectParams(Map.of("nonce", NONCE, "ts", TS), device,
                List.of("operator.read"), new Handshake.Credentials("shared-token", "dev-token"));
        assertEquals(Map.of("deviceToken", "dev-token"), withToken.get("auth"));
        assertEquals(device.sign(Handshake.signedPayload(ID, List.of("operator.read"), TS, "dev-token", NONCE)),
                ((Map<String, Object>) withToken.get("device")).get("signature"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDeviceIdOfACapturedConnectIsTheHashOfItsPublicKey() {
        Map<String, Object> connect = (Map<String, Object>) Fixtures.entries("71-remote-device-pairing-required").stream()
                .filter(e -> "out".equals(e.get("dir"))).findFirst().orElseThrow().get("frame");
        Map<String, Object> device = (Map<String, Object>) ((Map<String, Object>) connect.get("params")).get("device");
        assertEquals(device.get("id"), DeviceIdentity.deviceId(Base64.getUrlDecoder().decode((String) device.get("publicKey"))));
    }

    @Test
    void aKeyThatIsNotEd25519IsRefusedWithWhatToDo() throws Exception {
        var rsa = java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate().getEncoded();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(rsa) + "\n-----END PRIVATE KEY-----";
        assertThrows(java.security.GeneralSecurityException.class, () -> DeviceIdentity.fromPem(pem));
        var e = assertThrows(java.security.GeneralSecurityException.class, () -> DeviceIdentity.fromPem("not a key"));
        assertTrue(e.getMessage().contains("BEGIN PRIVATE KEY"), e.getMessage());
    }

    @Test
    void twoNewIdentitiesDiffer() {
        assertFalse(DeviceIdentity.generate().id().equals(DeviceIdentity.generate().id()));
    }
}
