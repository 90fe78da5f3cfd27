package io.controlcenter.gateway;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.controlcenter.config.ConfigurationException;

/** What a close code means for us: the table {@code gateway.close-policy.<code>=normal|reconnect|fatal}. */
public final class ClosePolicy {

    public enum Action {
        /** A normal close: reconnect with backoff, logged quietly. */
        NORMAL,
        /** A transient failure: reconnect with backoff. */
        RECONNECT,
        /** Authentication, pairing or protocol failure: stop retrying until an operator reconnects. */
        FATAL
    }

    private final Map<Integer, Action> actions;
    private final Action otherwise;

    public ClosePolicy(Map<Integer, Action> actions, Action otherwise) {
        this.actions = new TreeMap<>(actions);
        this.otherwise = otherwise;
    }

    /** Parses the table from its configuration keys; a bad entry names its key. */
    public static ClosePolicy parse(Map<String, String> entries, String keyPrefix) {
        return new ClosePolicy(Map.of(), Action.RECONNECT).with(entries, keyPrefix);
    }

    /** This table with {@code entries} (configuration keys under {@code keyPrefix}) over it. */
    ClosePolicy with(Map<String, String> entries, String keyPrefix) {
        Map<Integer, Action> actions = new TreeMap<>(this.actions);
        Action otherwise = this.otherwise;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            String key = keyPrefix + e.getKey();
            Action action = action(key, e.getValue());
            if ("default".equals(e.getKey())) {
                otherwise = action;
                continue;
            }
            int code;
            try {
                code = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw new ConfigurationException(key + ": '" + e.getKey()
                        + "' is not a WebSocket close code (use a number such as 1008, or 'default')");
            }
            if (code < 1000 || code > 4999) {
                throw new ConfigurationException(key + ": close codes are between 1000 and 4999");
            }
            actions.put(code, action);
        }
        return new ClosePolicy(actions, otherwise);
    }

    private static Action action(String key, String value) {
        try {
            return Action.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            throw new ConfigurationException(key + ": '" + value + "' is not one of normal, reconnect, fatal");
        }
    }

    public Action actionFor(int code) {
        return actions.getOrDefault(code, otherwise);
    }

    @Override
    public String toString() {
        return actions + " otherwise " + otherwise;
    }
}
