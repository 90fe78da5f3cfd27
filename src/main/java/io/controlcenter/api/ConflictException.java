package io.controlcenter.api;

/** A request that contradicts an earlier one (409). */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message, null, false, false);
    }
}
