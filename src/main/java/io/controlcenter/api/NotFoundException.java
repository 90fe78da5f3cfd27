package io.controlcenter.api;

/** Something the API was asked for that does not exist: an agent, a run (404). */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message, null, false, false);
    }
}
