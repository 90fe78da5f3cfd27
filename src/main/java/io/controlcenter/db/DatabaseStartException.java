package io.controlcenter.db;

import io.controlcenter.config.StartException;

/** The database could not be made ready at start; the message says which and why, never with the password. */
public class DatabaseStartException extends StartException {

    public DatabaseStartException(String message) {
        super(message);
    }

    public DatabaseStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
