package io.controlcenter.bench;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** What one phase of a {@link LoadGateway} sent: live events at a set rate for a set time on its connection. */
final class Phase {

    final double rate;
    final long durationMs;
    final CompletableFuture<Phase> done = new CompletableFuture<>();
    final Map<Kind, Long> sentByKind = new EnumMap<>(Kind.class);
    long startNanos;
    long endNanos;
    long sent;
    long firstSeq = -1;
    long lastSeq;
    long firstLabel = -1;
    /** Labels below it were sent by the end of the phase (from its start, the next label, when it sent none). */
    long endLabel;
    /** Largest shortfall against the schedule, in events. */
    long maxBehind;

    Phase(double rate, long durationMs) {
        this.rate = rate;
        this.durationMs = durationMs;
    }

    long scheduled() {
        return (long) (rate * durationMs / 1000.0);
    }

    double achievedRate() {
        return sent * 1e9 / Math.max(1, endNanos - startNanos);
    }

    long labels() {
        return firstLabel < 0 ? 0 : endLabel - firstLabel;
    }

    long stored() {
        return sentByKind.entrySet().stream().filter(e -> e.getKey() != Kind.AGENT && e.getKey() != Kind.TICK)
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** The events sent by kind, named as the gateway names them (sessions.changed, chat, ...). */
    Map<String, Long> sentByEvent() {
        Map<String, Long> sent = new LinkedHashMap<>();
        sentByKind.forEach((k, v) -> sent.put(k.event(), v));
        return sent;
    }

    enum Kind {
        SESSIONS_CHANGED, CHAT, AGENT, PRESENCE, HEALTH, TICK;

        static Kind of(String event) {
            return switch (event) {
                case "sessions.changed" -> SESSIONS_CHANGED;
                case "chat" -> CHAT;
                case "agent" -> AGENT;
                case "presence" -> PRESENCE;
                case "health" -> HEALTH;
                default -> TICK;
            };
        }

        /** The event's name: sessions.changed, chat, agent, ... */
        String event() {
            return name().toLowerCase().replace('_', '.');
        }
    }
}
