package io.controlcenter.cluster;

/**
 * A command for a gateway that no instance can carry out now: none leads it ({@link #NO_LEADER}: between a leader's
 * death and the takeover), or its leader does not answer ({@link #LEADER_UNREACHABLE}). The API answers 503 with the
 * code and the reason.
 */
public class LeaderUnavailableException extends RuntimeException {

    public static final String NO_LEADER = "NO_LEADER";
    public static final String LEADER_UNREACHABLE = "LEADER_UNREACHABLE";

    private final String code;

    public LeaderUnavailableException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String getCode() {
        return code;
    }
}
