package io.controlcenter.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the servers a test starts (Control Center, PostgreSQL, a gateway on a chosen port). Each test JVM takes
 * them from a block of its own, below the kernel's ephemeral range, in turn. A port handed out is then never handed
 * out again by this JVM, nor by the other test JVM (surefire's second fork), nor by the kernel to a socket bound to port
 * 0 or to an outgoing connection. With port 0's answer (the kernel's "a free port now") two JVMs were given the same
 * port: the one that bound it second failed, and a test talked to the other JVM's Control Center.
 */
public final class FreePorts {

    /** Ports per JVM; the blocks of forks 1 to 4 lie between 20000 and 32000 (the ephemeral range starts at 32768). */
    static final int BLOCK = 3_000;
    private static final int FIRST = 20_000 + BLOCK * (fork() - 1);
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(BLOCK));

    private FreePorts() {
    }

    /** The next port of this JVM's block that nothing listens on; never the real gateway's 18789. */
    public static int next() {
        for (int tried = 0; tried < BLOCK; tried++) {
            int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), BLOCK);
            try (ServerSocket s = new ServerSocket(port)) { // the wildcard address: taken on any address is taken
                return s.getLocalPort();
            } catch (IOException taken) {
                // something else has it: the next one
            }
        }
        throw new IllegalStateException("no free port in " + FIRST + "-" + (FIRST + BLOCK - 1));
    }

    /** Surefire's and failsafe's number of this test JVM (1, 2, ...; pom.xml passes it as test.fork), else 1. */
    private static int fork() {
        try {
            return Math.max(1, Math.min(4, Integer.parseInt(System.getProperty("test.fork", "1"))));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
