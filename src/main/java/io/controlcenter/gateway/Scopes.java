package io.controlcenter.gateway;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.controlcenter.config.ConfigurationException;

/**
 * Operator scopes (docs/PROTOCOL-NOTES.md, "Connection as implemented"): the closed set the gateway knows, which of them Control Center's features need,
 * and how one scope satisfies another ({@code operator.admin} every operator scope, {@code operator.write} also
 * {@code operator.read}).
 */
public final class Scopes {

    /** The fleet: agents.list, sessions.list, sessions.subscribe, system-presence, chat.history. */
    public static final String READ = "operator.read";
    /** Chat: chat.send, chat.abort. */
    public static final String WRITE = "operator.write";
    /** chat.inject (the gateway asks for admin, observed on 2026.9.6). */
    public static final String ADMIN = "operator.admin";
    /** What the gateway accepts in connect.params.scopes. */
    public static final Set<String> KNOWN = Set.of(READ, WRITE, ADMIN, "operator.approvals", "operator.questions",
            "operator.pairing", "operator.talk", "operator.talk.secrets");

    private Scopes() {
    }

    /** Parses a comma-separated scope list of setting {@code key}; an unknown scope or one without read names the key. */
    public static List<String> parse(String key, String value) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String s : value.split(",")) {
            String scope = s.trim();
            if (scope.isEmpty()) {
                continue;
            }
            if (!KNOWN.contains(scope)) {
                throw new ConfigurationException(key + ": '" + scope + "' is not an operator scope (one of "
                        + String.join(", ", new java.util.TreeSet<>(KNOWN)) + ")");
            }
            scopes.add(scope);
        }
        if (!covers(scopes, READ)) {
            throw new ConfigurationException(key + ": '" + value + "' does not include " + READ
                    + ", which Control Center needs to read the fleet (agents, sessions, presence)");
        }
        return List.copyOf(scopes);
    }

    /** Whether {@code granted} allows what {@code required} allows. */
    public static boolean covers(Collection<String> granted, String required) {
        return granted.contains(required) || granted.contains(ADMIN) && required.startsWith("operator.")
                || READ.equals(required) && granted.contains(WRITE)
                || "operator.talk".equals(required) && granted.contains(WRITE);
    }

    /** The scopes of {@code wanted} that {@code granted} does not cover, in order. */
    public static List<String> missing(Collection<String> granted, Collection<String> wanted) {
        List<String> missing = new ArrayList<>();
        for (String w : wanted) {
            if (!covers(granted, w)) {
                missing.add(w);
            }
        }
        return missing;
    }
}
