package io.controlcenter.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.controlcenter.gateway.Json;

/**
 * A real SSE client for tests of GET /api/events: java.net.http.HttpClient (HTTP/1.1) streaming the response body,
 * parsed line by line into events and comments as a browser's EventSource does.
 */
public final class SseStream implements AutoCloseable {

    /** One dispatched event: {@code id} as sent ({@code null} if none), data lines joined with \n. */
    public record Event(String id, String event, String data) {
        public long idNumber() {
            return Long.parseLong(id);
        }

        /** The data as a JSON object; an AssertionError when it is not one. */
        public Map<String, Object> json() {
            try {
                return Json.parseObject(data);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }
    }

    public final HttpResponse<InputStream> response;
    public final List<Event> events = new AppendOnlyList<>();
    /** When each event of {@link #events} (same index) was dispatched, by {@link System#nanoTime()} (for latencies). */
    public final List<Long> receivedAtNanos = new AppendOnlyList<>();
    public final List<String> comments = new CopyOnWriteArrayList<>();
    /** Every line received, in order. */
    public final List<String> lines = new AppendOnlyList<>();
    public volatile boolean ended;
    public volatile Throwable error;
    private final Thread reader;

    private SseStream(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** GET {@code pathAndQuery} with {@code headers} (name, value pairs); returns once ": connected" has arrived. */
    public static SseStream open(int port, String pathAndQuery, String... headers) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .header("Accept", "text/event-stream").GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(pathAndQuery + ": " + e, e);
        }
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " answered " + response.statusCode());
        }
        SseStream stream = new SseStream(response);
        ControlCenterApp.await("the stream opens with ': connected'", Duration.ofSeconds(5), () -> stream.comments.contains("connected"));
        return stream;
    }

    private void read() {
        String id = null;
        String event = null;
        List<String> data = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                if (line.isEmpty()) {
                    if (!data.isEmpty() || event != null) {
                        receivedAtNanos.add(System.nanoTime()); // first: an event seen has its time
                        events.add(new Event(id, event, String.join("\n", data)));
                    }
                    id = null;
                    event = null;
                    data.clear();
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).trim());
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> event = value;
                        case "data" -> data.add(value);
                        default -> throw new IllegalStateException("unexpected SSE line: " + line);
                    }
                }
            }
            ended = true;
        } catch (Throwable e) {
            error = e;
        }
    }

    /** The ids of the events received, in order. */
    public List<Long> ids() {
        return events.stream().map(Event::idNumber).toList();
    }

    public void awaitEvents(int n, Duration timeout) {
        ControlCenterApp.await(n + " events (have " + events.size() + ")", timeout, () -> events.size() >= n || error != null);
        if (error != null && events.size() < n) {
            throw new AssertionError("stream failed after " + events.size() + " events", error);
        }
    }

    /** Closes the connection (as a browser tab does when it goes away). */
    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
