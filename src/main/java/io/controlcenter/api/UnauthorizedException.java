package io.controlcenter.api;

/** A request without the API token, or with a wrong one: 401 {@code UNAUTHORIZED}. */
public class UnauthorizedException extends RuntimeException {

    public UnauthorizedException(String message) {
        super(message);
    }
}
