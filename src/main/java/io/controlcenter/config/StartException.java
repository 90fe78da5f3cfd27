package io.controlcenter.config;

/**
 * The start cannot go on for a reason of the host, not of a setting (the database cannot be made ready, the HTTP port is
 * taken). The message is one line that names what and what to do, never a secret; the start stops with it and exit
 * status 1 (see {@code Application}).
 */
public class StartException extends RuntimeException {

    public StartException(String message) {
        super(message);
    }

    public StartException(String message, Throwable cause) {
        super(message, cause);
    }
}
