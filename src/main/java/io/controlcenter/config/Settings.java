package io.controlcenter.config;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * Reads the keys under one prefix of application.properties (placeholders and environment overrides resolved). A
 * value that does not parse or fit fails with a message naming its key and what was expected.
 */
public record Settings(PropertiesComponent pc, String prefix) {

    /** The trimmed value, empty when unset or blank. */
    public Optional<String> raw(String key) {
        return pc.resolveProperty(prefix + key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String string(String key, String otherwise) {
        return raw(key).orElse(otherwise);
    }

    /** Milliseconds, written as a number or a duration such as 30s or 1m. */
    public long millis(String key, long otherwise) {
        return value(key, otherwise, TimeUtils::toMilliSeconds, ms -> ms > 0,
                "a positive duration (milliseconds, or e.g. 30s, 1m)");
    }

    /** Milliseconds, 0 allowed (0: at once / off). */
    public long millisOrZero(String key, long otherwise) {
        return value(key, otherwise, TimeUtils::toMilliSeconds, ms -> ms >= 0,
                "a duration of 0 or more (milliseconds, or e.g. 5, 250ms, 1s)");
    }

    /** A whole number from {@code min} to {@code max}. */
    public int between(String key, int otherwise, int min, int max) {
        return value(key, otherwise, Integer::parseInt, n -> n >= min && n <= max,
                "a whole number from " + min + " to " + max);
    }

    public long positive(String key, long otherwise) {
        return value(key, otherwise, Long::parseLong, n -> n > 0 && n <= Integer.MAX_VALUE, "a positive whole number");
    }

    public double fraction(String key, double otherwise) {
        return value(key, otherwise, Double::parseDouble, d -> d >= 0 && d < 1, "a fraction from 0 to below 1");
    }

    /** The parsed setting, {@code otherwise} when unset; a value that does not parse or fit names its key. */
    public <T> T value(String key, T otherwise, Function<String, T> parse, Predicate<T> valid, String expected) {
        Optional<String> text = raw(key);
        if (text.isEmpty()) {
            return otherwise;
        }
        try {
            T v = parse.apply(text.get());
            if (valid.test(v)) {
                return v;
            }
        } catch (RuntimeException ignored) {
            // reported below
        }
        throw new ConfigurationException(prefix + key + ": '" + text.get() + "' is not " + expected);
    }
}
