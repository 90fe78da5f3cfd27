package io.controlcenter.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.controlcenter.gateway.Json;

/**
 * The figures of one fault run (RELIABILITY.md): printed as one line, and appended as one JSON object per line to the
 * file named by the system property {@code faults.results} when it is set (scripts/faults.sh sets it).
 */
public final class FaultFigures {

    private final Map<String, Object> figures = new LinkedHashMap<>();

    public FaultFigures(String fault) {
        figures.put("fault", fault);
        figures.put("at", Instant.now().toString());
    }

    public FaultFigures put(String name, Object value) {
        figures.put(name, value);
        return this;
    }

    /** Prints the figures and records them where {@code faults.results} says. */
    public void report() throws IOException {
        System.out.println("FAULT " + figures.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ")));
        String results = System.getProperty("faults.results", "");
        if (!results.isEmpty()) {
            Path file = Path.of(results);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Json.write(figures) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    /** An integer system property of the fault suite ({@code faults.*}), for the long runs of scripts/faults.sh. */
    public static int setting(String name, int otherwise) {
        return Integer.getInteger("faults." + name, otherwise);
    }
}
