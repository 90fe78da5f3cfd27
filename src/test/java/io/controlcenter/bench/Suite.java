package io.controlcenter.bench;

import java.nio.file.Path;

/** One run of the benchmark: the single-gateway suite ({@link Bench}) or the multi-gateway run ({@link MultiBench}). */
interface Suite {

    /** Runs it; returns the JSON file written. */
    Path run() throws Exception;

    /** The table of its figures and targets, once run. */
    String table();

    /** Runs {@code suite} and prints its table; returns the JSON file written. */
    static Path runAndPrint(Suite suite) throws Exception {
        Path file = suite.run();
        System.out.print("\n" + suite.table());
        return file;
    }
}
