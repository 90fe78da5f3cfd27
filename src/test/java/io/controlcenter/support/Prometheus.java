package io.controlcenter.support;

import java.util.ArrayList;
import java.util.List;

/** Reads values out of a Prometheus text exposition (GET /observe/metrics). */
public record Prometheus(String text) {

    /**
     * The value of the one sample of {@code name} whose labels include every {@code label="value"} given; fails when
     * there is none or more than one.
     */
    public double value(String name, String... labels) {
        List<String> found = samples(name, labels);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples of " + name + " " + List.of(labels) + ": " + found);
        }
        String line = found.get(0);
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    /** As {@link #value}, but 0 while there is no such sample yet (a meter registered on first use). */
    public double valueOrZero(String name, String... labels) {
        return samples(name, labels).isEmpty() ? 0 : value(name, labels);
    }

    private List<String> samples(String name, String... labels) {
        List<String> found = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                found.add(line);
            }
        }
        return found;
    }

    public boolean has(String name) {
        return text.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
    }
}
