package io.controlcenter.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * JSON text with holes: {@code "@NAME@"} (quotes included) is replaced by a raw JSON value, so frames are made by
 * concatenation instead of serializing maps (the load gateway must produce tens of thousands of frames a second).
 */
final class Template {

    private final String[] literals;
    private final int[] holes;

    Template(String json, String... names) {
        List<String> lits = new ArrayList<>();
        List<Integer> idx = new ArrayList<>();
        int pos = 0;
        while (true) {
            int best = -1;
            int bestName = -1;
            for (int n = 0; n < names.length; n++) {
                int at = json.indexOf("\"@" + names[n] + "@\"", pos);
                if (at >= 0 && (best < 0 || at < best)) {
                    best = at;
                    bestName = n;
                }
            }
            if (best < 0) {
                break;
            }
            lits.add(json.substring(pos, best));
            idx.add(bestName);
            pos = best + names[bestName].length() + 4;
        }
        lits.add(json.substring(pos));
        literals = lits.toArray(String[]::new);
        holes = idx.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Appends the text with hole {@code i} replaced by {@code values[i]} (raw JSON: quote strings yourself). */
    StringBuilder render(StringBuilder out, String... values) {
        for (int i = 0; i < holes.length; i++) {
            out.append(literals[i]).append(values[holes[i]]);
        }
        return out.append(literals[literals.length - 1]);
    }

    static String quote(String s) {
        return "\"" + s + "\"";
    }
}
