package io.controlcenter.support;

import java.util.ArrayList;
import java.util.List;

import io.controlcenter.support.HostileFrames.Kind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fuzz of the hostile-frames fault: every kind made, the same seed the same frames, within the payload limit. */
class HostileFramesGeneratorTest {

    private static List<String> frames(long seed, int n) {
        HostileFrames f = new HostileFrames(seed, 1 << 20);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HostileFrames.Frame frame = i % 1000 == 999 ? f.huge(1 << 19) : f.next();
            // the frames' times are the clock's: compare what they are
            texts.add(frame.kind() + " " + frame.gap() + " " + frame.label() + " " + (frame.text() != null
                    ? frame.text().replaceAll("[0-9]{13}", "T").length() : frame.binary().length));
            assertTrue(frame.text() == null || frame.text().length() <= 1 << 20, "within the maximum payload");
        }
        return texts;
    }

    @Test
    void everyKindIsMadeAndTheSameSeedMakesTheSameFrames() {
        HostileFrames f = new HostileFrames(7, 1 << 20);
        for (int i = 0; i < 20_000; i++) {
            f.next();
        }
        f.huge(1000);
        f.oversized(1);
        f.lastSeq();
        f.shutdown();
        for (Kind k : Kind.values()) {
            assertTrue(f.sent(k) > 0, "frames of kind " + k);
        }
        assertTrue(f.gaps() > 0, "seq gaps");
        assertEquals(frames(3, 3000), frames(3, 3000));
    }
}
