package io.controlcenter.bench;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;

/**
 * The WebSocket limit, run as its own process: a bare Vert.x client that receives N frames of the load gateway's mix
 * and parses each into a map, as Control Center's client does, and nothing else. Prints {@code frames=N nanos=T}.
 */
public final class BareClient {

    private BareClient() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        long frames = Long.parseLong(args[1]);
        ObjectMapper mapper = new ObjectMapper();
        TypeReference<Map<String, Object>> type = new TypeReference<>() {
        };
        Vertx vertx = Vertx.vertx();
        CountDownLatch done = new CountDownLatch(1);
        long[] state = new long[3]; // received, first nanos, last nanos
        vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(64 << 20).setMaxMessageSize(64 << 20))
                .connect(new io.vertx.core.http.WebSocketConnectOptions().setAbsoluteURI(url + "bare?frames=" + frames))
                .onSuccess(ws -> ws.textMessageHandler(text -> {
                    try {
                        Map<String, Object> frame = mapper.readValue(text, type);
                        if (frame.get("type") == null) {
                            throw new IllegalStateException("no type");
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    if (state[0]++ == 0) {
                        state[1] = System.nanoTime();
                    }
                    if (state[0] == frames) {
                        state[2] = System.nanoTime();
                        done.countDown();
                    }
                }))
                .onFailure(e -> {
                    e.printStackTrace();
                    done.countDown();
                });
        if (!done.await(300, TimeUnit.SECONDS) || state[2] == 0) {
            System.out.println("failed received=" + state[0]);
            System.exit(1);
        }
        System.out.println("frames=" + frames + " nanos=" + (state[2] - state[1]));
        System.exit(0);
    }
}
