package io.controlcenter.gateway;

/** Header names and values of the {@code openclaw:} component. */
public final class OpenClawConstants {

    /** Name of the gateway (from configuration) a frame came from. */
    public static final String GATEWAY = "OpenClawGateway";
    /** {@code res}, {@code event} or {@code lifecycle} (connection events made by Control Center itself). */
    public static final String FRAME_TYPE = "OpenClawFrameType";
    /** Event name of an {@code event} frame, or the lifecycle event name. */
    public static final String EVENT = "OpenClawEvent";
    /** Frame-level {@code seq} of an event (per connection). */
    public static final String SEQ = "OpenClawSeq";
    /** Request id a {@code res} frame answers. */
    public static final String REQUEST_ID = "OpenClawRequestId";
    /** connId the gateway gave the connection in hello-ok. */
    public static final String CONN_ID = "OpenClawConnId";
    /** Epoch milliseconds at which the frame was read from the socket. */
    public static final String RECEIVED_AT = "OpenClawReceivedAt";
    /** RPC method for the producer when the endpoint does not name one. */
    public static final String METHOD = "OpenClawMethod";

    /** Exchange property: the {@link Frame} the exchange was made from (its text, for the payload as received). */
    public static final String FRAME = "OpenClawFrame";
    public static final String FRAME_RES = "res";
    public static final String FRAME_EVENT = "event";
    public static final String FRAME_LIFECYCLE = "lifecycle";

    /** After each hello-ok; body is the hello-ok payload. */
    public static final String LIFECYCLE_CONNECTED = "gateway.connected";
    /** After a connection that had reached hello-ok is gone; body is {code, reason, state}. */
    public static final String LIFECYCLE_DISCONNECTED = "gateway.disconnected";
    /** A seq gap: state owners must resync; body is {expected, received}. */
    public static final String LIFECYCLE_RESYNC = "gateway.resync";

    private OpenClawConstants() {
    }
}
