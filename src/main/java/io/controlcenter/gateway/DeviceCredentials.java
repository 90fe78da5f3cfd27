package io.controlcenter.gateway;

import java.util.List;
import java.util.Optional;

/**
 * Where Control Center's device identity and the device tokens gateways issued to it are kept (PostgreSQL, so every
 * instance on one database and every restart is the same device). Bound in the registry; the {@code openclaw:}
 * component reads it when it creates a gateway's client. Calls may block (JDBC): never on the event loop.
 */
public interface DeviceCredentials {

    /** The device identity, created once and then always the same. */
    DeviceIdentity identity();

    /** The device token gateway {@code gateway} issued to device {@code deviceId}, if one is kept. */
    Optional<String> deviceToken(String gateway, String deviceId);

    /** Keeps the device token a gateway issued in hello-ok, with the scopes it was issued for. */
    void saveDeviceToken(String gateway, String deviceId, String token, List<String> scopes);

    /** Forgets a device token the gateway no longer accepts. */
    void forgetDeviceToken(String gateway, String deviceId);
}
