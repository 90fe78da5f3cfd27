package io.controlcenter.gateway;

import java.io.IOException;

import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * Checks that a text is one JSON object as {@link Json}'s mapper reads it (strict JSON within the mapper's limits of
 * nesting, number, string and name length) without building anything, and finds where the object or array value of one
 * of its top-level fields lies. Every frame is checked this way ({@link Json#parseObject(String, String)}): its payload
 * is parsed only when a route reads it. Jackson's own skip of the payload tokenized every name and number of a
 * sessions.list page (name canonicalization, number parsing): a third of Control Center's CPU during a sync of 50,000
 * sessions, on the event loop (BENCHMARKS.md, Seventh look).
 */
final class JsonCheck {

    /** Where a value lies in the text: from {@code start} to {@code end} (exclusive). */
    record Range(int start, int end) {
    }

    private final String text;
    private final StreamReadConstraints limits;
    private int pos;
    private int depth;

    private JsonCheck(String text, StreamReadConstraints limits) {
        this.text = text;
        this.limits = limits;
    }

    /**
     * Checks that {@code text} is one JSON object (whitespace around it allowed) and returns where the object or array
     * value of its top-level field {@code field} lies; null when there is none to leave out: the field is absent, has
     * another kind of value or occurs more than once, or a top-level name is written with escapes. Anything else is an
     * {@link IOException} naming what was expected and where.
     */
    static Range objectField(String text, String field, StreamReadConstraints limits) throws IOException {
        return new JsonCheck(text, limits).topLevel(field);
    }

    private Range topLevel(String field) throws IOException {
        whitespace();
        if (pos >= text.length() || text.charAt(pos) != '{') {
            throw error("a JSON object");
        }
        enter();
        Range found = null;
        int occurrences = 0;
        boolean plainNames = true;
        whitespace();
        if (!take('}')) {
            do {
                whitespace();
                int nameStart = pos;
                plainNames &= name() == 0;
                boolean isField = pos - nameStart - 2 == field.length() && text.startsWith(field, nameStart + 1);
                colon();
                whitespace();
                int valueStart = pos;
                value();
                if (isField) {
                    occurrences++;
                    char c = text.charAt(valueStart);
                    found = c == '{' || c == '[' ? new Range(valueStart, pos) : null;
                }
                whitespace();
            } while (take(','));
            expect('}');
        }
        depth--;
        whitespace();
        if (pos < text.length()) {
            throw error("nothing after the JSON object");
        }
        return occurrences == 1 && plainNames ? found : null;
    }

    /** A value and the whitespace before it. */
    private void value() throws IOException {
        whitespace();
        if (pos >= text.length()) {
            throw error("a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string(limits.getMaxStringLength());
            case 't' -> word("true");
            case 'f' -> word("false");
            case 'n' -> word("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                } else {
                    throw error("a value");
                }
            }
        }
    }

    private void object() throws IOException {
        enter();
        whitespace();
        if (!take('}')) {
            do {
                whitespace();
                name();
                colon();
                value();
                whitespace();
            } while (take(','));
            expect('}');
        }
        depth--;
    }

    private void array() throws IOException {
        enter();
        whitespace();
        if (!take(']')) {
            do {
                value();
                whitespace();
            } while (take(','));
            expect(']');
        }
        depth--;
    }

    /** Takes the opening bracket at {@code pos}, one level deeper. */
    private void enter() throws IOException {
        if (++depth > limits.getMaxNestingDepth()) {
            throw error("at most " + limits.getMaxNestingDepth() + " levels of nesting");
        }
        pos++;
    }

    /** A field name; returns how many characters its escapes take beyond one each (0: written plainly). */
    private int name() throws IOException {
        if (pos >= text.length() || text.charAt(pos) != '"') {
            throw error("a field name");
        }
        return string(limits.getMaxNameLength());
    }

    private void colon() throws IOException {
        whitespace();
        expect(':');
    }

    /**
     * A string at {@code pos} of at most {@code max} characters once its escapes are read; returns how many characters
     * its escapes take beyond one each.
     */
    private int string(int max) throws IOException {
        int start = ++pos;
        int escapes = 0; // characters the escapes take beyond the one each stands for
        while (true) {
            if (pos >= text.length()) {
                throw error("the end of a string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                escapes += escape();
            } else if (c < 0x20) {
                pos--;
                throw error("a control character to be escaped");
            }
        }
        if (pos - 1 - start - escapes > max) {
            throw error("a string of at most " + max + " characters");
        }
        return escapes;
    }

    /** The escape after a backslash; returns how many characters it takes beyond one. */
    private int escape() throws IOException {
        if (pos >= text.length()) {
            throw error("an escape");
        }
        char e = text.charAt(pos++);
        switch (e) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return 1;
            }
            case 'u' -> {
                for (int i = 0; i < 4; i++) {
                    if (pos >= text.length() || Character.digit(text.charAt(pos), 16) < 0) {
                        throw error("four hex digits");
                    }
                    pos++;
                }
                return 5;
            }
            default -> {
                pos--;
                throw error("a valid escape");
            }
        }
    }

    /** A number: an optional minus, an integer without leading zeros, then an optional fraction and exponent. */
    private void number() throws IOException {
        take('-');
        int digits = pos;
        if (!take('0')) {
            if (pos >= text.length() || text.charAt(pos) < '1' || text.charAt(pos) > '9') {
                throw error("a digit");
            }
            digitsOptional();
        }
        int integer = pos - digits;
        boolean fraction = false;
        if (take('.')) {
            fraction = true;
            digitsRequired();
        }
        if (take('e') || take('E')) {
            fraction = true;
            if (!take('+')) {
                take('-');
            }
            digitsRequired();
        }
        if ((fraction ? pos - digits : integer) > limits.getMaxNumberLength()) {
            throw error("a number of at most " + limits.getMaxNumberLength() + " digits");
        }
    }

    private void digitsRequired() throws IOException {
        if (pos >= text.length() || text.charAt(pos) < '0' || text.charAt(pos) > '9') {
            throw error("a digit");
        }
        digitsOptional();
    }

    private void digitsOptional() {
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
    }

    private void word(String word) throws IOException {
        if (!text.startsWith(word, pos)) {
            throw error("a value");
        }
        pos += word.length();
    }

    private void whitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    /** Takes {@code c} when it comes next (no whitespace before it). */
    private boolean take(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) throws IOException {
        if (!take(c)) {
            throw error("'" + c + "'");
        }
    }

    private IOException error(String expected) {
        String found = pos >= text.length() ? "the end of the text"
                : "'" + (text.charAt(pos) < 0x20 ? String.format("\\u%04x", (int) text.charAt(pos)) : text.charAt(pos)) + "'";
        return new IOException("not valid JSON: expected " + expected + " at offset " + pos + ", found " + found);
    }
}
