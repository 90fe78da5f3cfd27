package io.controlcenter.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** What PostgreSQL cannot store (U+0000, half a surrogate pair) becomes U+FFFD; everything else is left as it is. */
class StorableJsonTest {

    @Test
    void aTextWithoutEscapesIsTheSameText() {
        String text = "{\"type\":\"event\",\"payload\":{\"label\":\"🤖 ok\"}}";
        assertSame(text, StorableJson.of(text));
    }

    @Test
    void theNulCharacterBecomesTheReplacementCharacter() {
        assertEquals("{\"a\":\"nul\\ufffdinside\\ufffd\"}", StorableJson.of("{\"a\":\"nul\\u0000inside\\u0000\"}"));
    }

    @Test
    void aLoneHalfOfASurrogatePairBecomesTheReplacementCharacter() {
        assertEquals("{\"a\":\"\\ufffd x\"}", StorableJson.of("{\"a\":\"\\ud800 x\"}"));
        assertEquals("{\"a\":\"\\ufffd\"}", StorableJson.of("{\"a\":\"\\udc00\"}"));
        assertEquals("{\"a\":\"\\ufffd\\u0041\"}", StorableJson.of("{\"a\":\"\\uD83E\\u0041\"}"));
    }

    @Test
    void aWholePairAndOtherEscapesAreKept() {
        String text = "{\"a\":\"\\ud83e\\udd16 \\u00e9 \\n \\u0001\"}";
        assertSame(text, StorableJson.of(text));
    }

    @Test
    void anEscapedBackslashBeforeTheLetterUIsNoEscape() {
        String text = "{\"a\":\"\\\\u0000\"}"; // the text \u0000, not the character
        assertSame(text, StorableJson.of(text));
        assertEquals("{\"a\":\"\\\\\\ufffd\"}", StorableJson.of("{\"a\":\"\\\\\\u0000\"}"));
    }

    @Test
    void anEscapeCutShortIsLeftToTheParser() {
        String text = "{\"a\":\"\\u00";
        assertSame(text, StorableJson.of(text));
        String notHex = "{\"a\":\"\\uzzzz\"}";
        assertSame(notHex, StorableJson.of(notHex));
    }
}
