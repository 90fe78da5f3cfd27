package io.controlcenter.device;

import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import io.controlcenter.gateway.DeviceCredentials;
import io.controlcenter.gateway.DeviceIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device identity and device tokens in PostgreSQL (tables {@code device_identity}, {@code device_tokens}). The
 * identity is made by the first instance that needs it; instances starting together on one database agree on it (the
 * first insert wins, the others read it).
 */
public final class DeviceStore implements DeviceCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceStore.class);
    private static final String ROLE = "operator";

    private final DataSource dataSource;
    private final DeviceIdentity supplied;
    private volatile DeviceIdentity identity;

    /** {@code supplied}: the operator's key (used instead of the stored one), or null. */
    public DeviceStore(DataSource dataSource, DeviceIdentity supplied) {
        this.dataSource = dataSource;
        this.supplied = supplied;
    }

    @Override
    public synchronized DeviceIdentity identity() {
        if (identity == null) {
            identity = supplied != null ? supplied : stored();
        }
        return identity;
    }

    private DeviceIdentity stored() {
        try (Connection c = dataSource.getConnection()) {
            DeviceIdentity fresh = DeviceIdentity.generate();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_identity (id, device_id, public_key, "
                    + "private_key) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                ps.setString(1, fresh.id());
                ps.setBytes(2, java.util.Base64.getUrlDecoder().decode(fresh.publicKey()));
                ps.setBytes(3, fresh.pkcs8());
                if (ps.executeUpdate() == 1) {
                    LOG.info("Device identity created: {} (kept in the database; gateways beyond loopback approve it once)",
                            fresh);
                    return fresh;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT device_id, private_key FROM device_identity WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                DeviceIdentity kept = DeviceIdentity.fromPkcs8(rs.getBytes("private_key"));
                if (!kept.id().equals(rs.getString("device_id"))) {
                    throw new IllegalStateException("the stored device key does not match its device id " + rs.getString(1));
                }
                return kept;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read or store the device identity: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the stored device key cannot be read (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public Optional<String> deviceToken(String gateway, String deviceId) {
        return withToken("read", gateway, deviceId, "SELECT token FROM device_tokens WHERE gateway = ? AND device_id = ? "
                + "AND role = ?", ps -> {
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                    }
                });
    }

    @Override
    public void saveDeviceToken(String gateway, String deviceId, String token, List<String> scopes) {
        withToken("store", gateway, deviceId, "INSERT INTO device_tokens (gateway, device_id, role, token, scopes) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (gateway, device_id, role) DO UPDATE SET token = excluded.token, "
                + "scopes = excluded.scopes, updated_at = now()", ps -> {
                    ps.setString(4, token);
                    ps.setArray(5, ps.getConnection().createArrayOf("text", scopes.toArray()));
                    return ps.executeUpdate();
                });
    }

    @Override
    public void forgetDeviceToken(String gateway, String deviceId) {
        withToken("delete", gateway, deviceId, "DELETE FROM device_tokens WHERE gateway = ? AND device_id = ? AND role = ?",
                PreparedStatement::executeUpdate);
    }

    private interface Statement<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    /** Runs {@code sql} whose first three parameters are the gateway, the device and the role of a device token. */
    private <T> T withToken(String what, String gateway, String deviceId, String sql, Statement<T> statement) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, gateway);
            ps.setString(2, deviceId);
            ps.setString(3, ROLE);
            return statement.run(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot " + what + " the device token of gateway " + gateway + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "device credentials in the database" + (supplied == null ? "" : " (operator-supplied key)");
    }
}
