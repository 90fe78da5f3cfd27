package io.controlcenter.gateway;

import io.controlcenter.config.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a gateway sends that cannot be used: binary, malformed and unknown frames, and seq gaps. Every one is counted
 * (GatewayStats: the metrics, the MBean, /api/gateway); each kind is logged once, then at most once a minute with how
 * many were left out ({@link LogLimit}), so a gateway that sends rubbish cannot flood the log. One connection's,
 * confined to its event loop.
 */
final class UnusableFrames {

    /** The connection's logger: where an operator looks for what the gateway sent. */
    private static final Logger LOG = LoggerFactory.getLogger(GatewayConnection.class);

    private final String gateway;
    private final GatewayStats stats;
    private final LogLimit limit = new LogLimit(60_000);

    UnusableFrames(String gateway, GatewayStats stats) {
        this.gateway = gateway;
        this.stats = stats;
    }

    void binary(int bytes) {
        stats.unknownFrames.incrementAndGet();
        warn("binary", "binary frame of " + bytes + " bytes ignored (the protocol is JSON text)");
    }

    void malformed(int chars, Exception e) {
        stats.malformedFrames.incrementAndGet();
        warn("malformed", "malformed frame of " + chars + " bytes ignored: " + Messages.firstLine(e.getMessage()));
    }

    void unknownType(String type) {
        stats.unknownFrames.incrementAndGet();
        warn("unknown", "frame of unknown type '" + type + "' ignored");
    }

    /** Events {@code lastSeq + 1} to {@code seq - 1} never arrived. */
    void gap(long lastSeq, long seq) {
        stats.seqGaps.incrementAndGet();
        warn("gap", "event seq jumped from " + lastSeq + " to " + seq + "; " + (seq - lastSeq - 1)
                + " events lost, requesting a resync");
    }

    private void warn(String kind, String what) {
        String more = limit.allow(kind);
        if (more != null) {
            LOG.warn("Gateway {}: {}{}", gateway, what, more);
        }
    }
}
