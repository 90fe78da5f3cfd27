package io.controlcenter.chat;

import io.controlcenter.config.Settings;
import org.apache.camel.CamelContext;

/** The {@code chat.*} keys: how long duplicates are recognised and late events of a finished run dropped. */
public record ChatSettings(long dedupeTtlMs, long cooldownMs) {

    /** Reads and checks them; a wrong value fails the start naming its key. */
    public static ChatSettings load(CamelContext context) {
        Settings settings = new Settings(context.getPropertiesComponent(), "chat.");
        return new ChatSettings(settings.millis("dedupe.ttl", 600_000), settings.millis("cooldown", 120_000));
    }
}
