package io.controlcenter.gateway;

/**
 * Makes a frame's JSON text storable in PostgreSQL, which refuses two things JSON allows: the character U+0000 (in
 * {@code text} and {@code jsonb}) and a {@code \\u} escape of half a surrogate pair (in {@code jsonb}). A gateway that
 * sends either would otherwise have the batch holding it refused again and again, and storing would stop for every
 * event after it. Both become U+FFFD, the replacement character, in the escape's place; nothing else changes, and a
 * text without a {@code \\u} escape is returned as it is.
 */
final class StorableJson {

    private static final String REPLACEMENT = "\\ufffd";

    private StorableJson() {
    }

    static String of(String text) {
        int i = text.indexOf("\\u");
        if (i < 0) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        for (; i >= 0 && i + 6 <= text.length(); i = text.indexOf("\\u", i + 2)) {
            if (!escape(text, i)) {
                continue; // "\\u..." is an escaped backslash followed by the letter u
            }
            int c = hex(text, i + 2);
            boolean bad;
            int length = 6;
            if (c == 0) {
                bad = true;
            } else if (Character.isHighSurrogate((char) c)) {
                boolean paired = i + 12 <= text.length() && text.startsWith("\\u", i + 6)
                        && Character.isLowSurrogate((char) hex(text, i + 8));
                bad = !paired;
                length = paired ? 12 : 6; // a pair is kept whole
            } else {
                bad = Character.isLowSurrogate((char) c); // a low half with no high half before it
            }
            if (bad) {
                out = out == null ? new StringBuilder(text.length()) : out;
                out.append(text, copied, i).append(REPLACEMENT);
                copied = i + 6;
            }
            i += length - 2;
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /** Whether the backslash at {@code i} starts an escape: an even number of backslashes before it. */
    private static boolean escape(String text, int i) {
        int n = 0;
        for (int j = i - 1; j >= 0 && text.charAt(j) == '\\'; j--) {
            n++;
        }
        return n % 2 == 0;
    }

    /** The four hex digits at {@code at}, or -1 when they are not (the parser will call the frame malformed). */
    private static int hex(String text, int at) {
        int v = 0;
        for (int k = at; k < at + 4; k++) {
            int d = Character.digit(text.charAt(k), 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
