package io.controlcenter.gateway;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows a lost connection, and when: the close-code policy (fatal, or reconnect with backoff), the pairing
 * wait, the one immediate retry with the shared token, and the delays the gateway asks for (a refusal's
 * {@code retryAfterMs}, a {@code shutdown} event's {@code restartExpectedMs}). Leaves the state it decided in the
 * stats and schedules the next attempt. Event-loop confined.
 */
final class Reconnects {

    /** The gateway's close when a device is removed or its access revoked ("device removed", "client invalidated: …"). */
    private static final int CLOSE_INVALIDATED = 4001;
    private static final Logger LOG = LoggerFactory.getLogger(Reconnects.class);

    private final GatewaySettings config;
    private final Vertx vertx;
    private final GatewayStats stats;
    private final DeviceAuth device;
    private final Runnable open;
    private final Backoff backoff;
    private long restartExpectedMs;
    private long timer = -1;

    /** {@code open} makes the next attempt. */
    Reconnects(GatewaySettings config, Vertx vertx, GatewayStats stats, DeviceAuth device, Runnable open) {
        this.config = config;
        this.vertx = vertx;
        this.stats = stats;
        this.device = device;
        this.open = open;
        this.backoff = new Backoff(config.reconnectInitialMs(), config.reconnectMaxMs(), config.reconnectJitter(),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** Decides what follows the loss of {@code c} (closed with {@code code} and {@code reason}) and schedules it. */
    void after(GatewayConnection c, int code, String reason) {
        if (code == CLOSE_INVALIDATED && c.helloReceived && deviceInvalidated(reason)) {
            // the device was removed or its token revoked on the gateway: the next connect shows what it allows now
            // (a new pairing request, or a new device token); a changed shared token ("gateway auth changed") is not this
            device.forgetDeviceToken("gateway " + config.name() + " closed the connection: " + reason);
            c.delayOverride = 0L;
        }
        DeviceAuth.Refusal refusal = c.refusal;
        boolean pairing = refusal != null && refusal.pairing();
        boolean sharedTokenNext = refusal != null && refusal.retryWithSharedToken();
        // closes we asked for, and refusals with a rule of their own, are not the close policy's to judge
        boolean decided = c.closedByUs || sharedTokenNext || pairing || c.delayOverride != null;
        ClosePolicy.Action action = c.fatal != null ? ClosePolicy.Action.FATAL
                : decided ? ClosePolicy.Action.RECONNECT : config.closePolicy().actionFor(code);
        if (action == ClosePolicy.Action.FATAL) {
            stats.state = GatewayState.FAILED;
            if (c.fatal != null) {
                stats.errorCode = "MISSING_SCOPES";
                stats.failureReason = c.fatal;
            } else {
                stats.failureReason = describeFailure(c, code, reason);
            }
            LOG.error("Gateway {}: {}. Not retrying until the configuration changes or an operator reconnects "
                    + "(POST /api/gateway/reconnect)", config.name(), stats.failureReason);
        } else if (pairing) {
            stats.state = GatewayState.PAIRING;
            stats.failureReason = device.pairingSentence(config.pairingRetryMs());
            if (refusal.newPairingRequest()) {
                LOG.warn("Gateway {}: {}", config.name(), stats.failureReason);
            } else {
                LOG.debug("Gateway {}: still waiting for approval of pairing request {}", config.name(),
                        device.pairing().requestId());
            }
            schedule(config.pairingRetryMs());
        } else {
            long delay = delay(c);
            stats.state = GatewayState.RECONNECTING;
            String what = c.helloReceived ? "connection closed" : "connection attempt failed";
            String detail = code == GatewayConnection.CLOSE_ABNORMAL && stats.lastError != null ? stats.lastError
                    : code + " " + reason;
            if (action == ClosePolicy.Action.NORMAL || c.closedByUs) {
                LOG.info("Gateway {}: {} ({}); reconnecting in {} ms", config.name(), what, detail, delay);
            } else {
                LOG.warn("Gateway {}: {} ({}); reconnecting in {} ms", config.name(), what, detail, delay);
            }
            schedule(delay);
        }
    }

    private static boolean deviceInvalidated(String reason) {
        return reason != null && (reason.startsWith("device removed") || reason.startsWith("client invalidated"));
    }

    private long delay(GatewayConnection c) {
        long delay = backoff.next();
        if (c.delayOverride != null) {
            return c.delayOverride;
        }
        if (c.refusal != null && c.refusal.retryWithSharedToken()) {
            return 0;
        }
        Long retryAfter = c.refusal == null ? null : c.refusal.error().getRetryAfterMs();
        if (retryAfter != null) {
            delay = Math.max(delay, retryAfter);
        }
        if (restartExpectedMs > 0) {
            // a hint, never longer than the backoff's maximum: an hour (or Long.MAX_VALUE) would mean never again
            delay = Math.min(restartExpectedMs, config.reconnectMaxMs());
            restartExpectedMs = 0;
        }
        return delay;
    }

    private String describeFailure(GatewayConnection c, int code, String reason) {
        String close = "closed with " + code + (reason == null || reason.isEmpty() ? "" : " \"" + reason + "\"");
        if (c.refusal == null) {
            stats.errorCode = "CLOSE_" + code;
            return "gateway " + close;
        }
        GatewayRpcException refusal = c.refusal.error();
        Object next = refusal.getDetails() == null ? null : refusal.getDetails().get("recommendedNextStep");
        return stats.errorCode + ": " + refusal.getMessage().substring("connect: ".length())
                + (next == null ? "" : " (next step: " + next + ")") + "; " + close;
    }

    private void schedule(long delayMs) {
        stats.nextAttemptAt = Instant.now().plusMillis(delayMs);
        timer = vertx.setTimer(Math.max(1, delayMs), t -> {
            timer = -1;
            open.run();
        });
    }

    /** No attempt is scheduled any more. */
    void cancel() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** hello-ok: the next loss starts the backoff from the beginning. */
    void connected() {
        backoff.reset();
        restartExpectedMs = 0;
    }

    /** An operator's reconnect: the backoff starts over. */
    void reset() {
        backoff.reset();
    }

    /** The gateway announced a restart in {@code ms}: the next delay. */
    void restartExpected(long ms) {
        restartExpectedMs = ms;
    }
}
