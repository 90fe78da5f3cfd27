package io.controlcenter.support;

import java.util.concurrent.CompletableFuture;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Contexts on distinct event loops of a Vert.x instance, to spread a test client's connections over them: a connection
 * is served on the event loop of the context it was opened from, and every call from outside Vert.x (a test's thread)
 * gets the same one, so a thousand dashboards opened from one thread all ran on one event loop.
 */
public final class EventLoops {

    private EventLoops() {
    }

    /** {@code n} contexts, each a deployed verticle's (Vert.x gives each deployment the next event loop). */
    public static Context[] contexts(Vertx vertx, int n) {
        Context[] contexts = new Context[n];
        for (int i = 0; i < n; i++) {
            CompletableFuture<Context> started = new CompletableFuture<>();
            vertx.deployVerticle(new AbstractVerticle() {
                @Override
                public void start() {
                    started.complete(context);
                }
            });
            contexts[i] = started.join();
        }
        return contexts;
    }
}
