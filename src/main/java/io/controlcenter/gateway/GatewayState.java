package io.controlcenter.gateway;

/** Where a gateway connection stands. */
public enum GatewayState {
    /** Not wanted: no consumer is attached, or Control Center is stopping. */
    DISCONNECTED,
    /** First attempt under way. */
    CONNECTING,
    /** hello-ok received; frames flow. */
    CONNECTED,
    /** Lost or never reached; the next attempt is scheduled with backoff. */
    RECONNECTING,
    /**
     * The gateway waits for an operator to approve Control Center's device ({@code openclaw devices approve
     * <requestId>}); attempts go on at {@code gateway.pairing.retry-interval} with the same key.
     */
    PAIRING,
    /** The gateway refused us for a reason retrying cannot fix (see the reason); waits for an operator. */
    FAILED
}
