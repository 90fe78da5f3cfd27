package io.controlcenter.config;

/**
 * A setting is missing or wrong. The message is one line that names the key (and its environment variable) and what
 * was expected; the start stops with it and nothing else (see {@code Application}).
 */
public class ConfigurationException extends IllegalArgumentException {

    public ConfigurationException(String message) {
        super(message);
    }
}
