package io.controlcenter.support;

import java.util.function.Supplier;

/**
 * Samples the heap Control Center uses, from its own metrics ({@code jvm_memory_used_bytes{area="heap"}}, summed over
 * the pools), every {@code intervalMs} on a thread of its own until closed: the peak of the samples, in MB.
 */
public final class HeapSampler implements AutoCloseable {

    private final Supplier<String> metrics;
    private final long intervalMs;
    private final Thread thread = new Thread(this::run, "heap-sampler");
    private volatile boolean stopped;
    private volatile double peakBytes;
    private volatile int samples;

    /** {@code metrics}: the text of GET /observe/metrics (empty when it did not answer). */
    public HeapSampler(Supplier<String> metrics, long intervalMs) {
        this.metrics = metrics;
        this.intervalMs = intervalMs;
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!stopped) {
            double used = heapUsed(metrics.get());
            if (used > 0) {
                peakBytes = Math.max(peakBytes, used);
                samples++;
            }
            try {
                Thread.sleep(intervalMs); // a sampling period, not a wait for an outcome
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The heap in use in one exposition: the sum of the heap pools' samples. */
    static double heapUsed(String text) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The largest heap sampled so far, MB. */
    public long peakMb() {
        return Math.round(peakBytes / (1024 * 1024));
    }

    /** How many samples were taken. */
    public int samples() {
        return samples;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(5_000);
    }
}
