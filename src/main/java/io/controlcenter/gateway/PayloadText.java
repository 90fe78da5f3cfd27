package io.controlcenter.gateway;

/**
 * A frame's payload as the JSON text the gateway sent, not copied out of the frame: the frame's text and where the
 * payload lies in it. What a call with {@code rawPayload=true} answers; {@link #toString()} is the payload's text (a
 * copy) for whoever needs a String. A sync's pages are 2.5 MB or more each: copying each one out of its frame was the
 * second largest allocation of a sync (BENCHMARKS.md, Seventh look).
 *
 * @param frame the frame's text
 * @param start where the payload begins in it
 * @param end   where it ends (exclusive)
 */
public record PayloadText(String frame, int start, int end) implements CharSequence {

    @Override
    public int length() {
        return end - start;
    }

    @Override
    public char charAt(int index) {
        return frame.charAt(start + index);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        return frame.substring(start + from, start + to);
    }

    @Override
    public String toString() {
        return frame.substring(start, end);
    }
}
