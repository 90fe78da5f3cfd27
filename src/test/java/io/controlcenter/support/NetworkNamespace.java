package io.controlcenter.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A host of the test's own: a network namespace joined to this one by a veth pair, each end with an address of a
 * /30 that no interface here uses ({@code ip netns add}, {@code ip link add … type veth}; needs root and iproute2). A
 * server started inside it ({@code ip netns exec}) is reached from here only over the veth, as from another machine. Only these
 * two addresses are used. {@link #close()} removes the namespace and the pair; namespaces that a test JVM that no longer
 * runs left behind are removed when the next one is made.
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final String PREFIX = "cc-it-";

    private final String name;
    private final String hostLink;
    private final String hostAddress;
    private final String address;
    private final Thread cleanup = new Thread(this::remove, "netns-cleanup");

    private NetworkNamespace(String name, String hostLink, String hostAddress, String address) {
        this.name = name;
        this.hostLink = hostLink;
        this.hostAddress = hostAddress;
        this.address = address;
    }

    /** Makes the namespace and its veth pair; fails with what is missing when not root or without iproute2. */
    public static NetworkNamespace create() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("network namespace tests need root (ip netns add); run them as root, as CI does");
        }
        removeStale();
        long pid = ProcessHandle.current().pid();
        int n = ThreadLocalRandom.current().nextInt(1000, 10000);
        int subnet = freeSubnet();
        NetworkNamespace ns = new NetworkNamespace(PREFIX + pid + "-" + n, "cch" + n, "10.231." + subnet + ".1",
                "10.231." + subnet + ".2");
        Runtime.getRuntime().addShutdownHook(ns.cleanup);
        try {
            ip("netns", "add", ns.name);
            ip("link", "add", ns.hostLink, "type", "veth", "peer", "name", "ccn" + n);
            ip("link", "set", "ccn" + n, "netns", ns.name);
            ip("addr", "add", ns.hostAddress + "/30", "dev", ns.hostLink);
            ip("link", "set", ns.hostLink, "up");
            ip("netns", "exec", ns.name, "ip", "addr", "add", ns.address + "/30", "dev", "ccn" + n);
            ip("netns", "exec", ns.name, "ip", "link", "set", "ccn" + n, "up");
            ip("netns", "exec", ns.name, "ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** The namespace's name, for {@code ip netns exec}. */
    public String name() {
        return name;
    }

    /** The address of the namespace's end of the veth: where its servers are reached from here. */
    public String address() {
        return address;
    }

    /** The address of this side's end: where connections from here come from, as the namespace sees them. */
    public String hostAddress() {
        return hostAddress;
    }

    @Override
    public void close() {
        remove();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private void remove() {
        run(List.of("ip", "netns", "del", name), false); // takes its end of the veth, and so the pair, with it
        run(List.of("ip", "link", "del", hostLink), false);
    }

    /** A third octet for 10.231.x.0/30 that no address of this host has. */
    private static int freeSubnet() {
        String used = run(List.of("ip", "-4", "-o", "addr"), true);
        for (int i = 0; i < 100; i++) {
            int x = ThreadLocalRandom.current().nextInt(1, 255);
            if (!used.contains(" 10.231." + x + ".")) {
                return x;
            }
        }
        throw new IllegalStateException("no free 10.231.x.0/30 subnet");
    }

    /** Removes namespaces {@code cc-it-<pid>-*} whose test JVM is gone (killed before it could clean up). */
    private static void removeStale() {
        for (String line : run(List.of("ip", "netns", "list"), true).split("\n")) {
            String ns = line.split(" ")[0];
            if (!ns.startsWith(PREFIX)) {
                continue;
            }
            String[] parts = ns.substring(PREFIX.length()).split("-");
            boolean alive = parts.length == 2 && ProcessHandle.of(Long.parseLong(parts[0])).isPresent();
            if (!alive) {
                run(List.of("ip", "netns", "del", ns), false);
                run(List.of("ip", "link", "del", "cch" + (parts.length == 2 ? parts[1] : "")), false);
            }
        }
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(command, true);
    }

    private static String run(List<String> command, boolean check) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            if (check && p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
            }
            return out;
        } catch (IOException e) {
            if (check) {
                throw new IllegalStateException("cannot run " + String.join(" ", command) + " (" + e.getMessage()
                        + "); network namespace tests need iproute2 (apt-get install -y iproute2)", e);
            }
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
