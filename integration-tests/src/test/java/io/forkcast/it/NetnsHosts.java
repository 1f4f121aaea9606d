package io.forkcast.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * N test hosts on this machine: N network namespaces ({@code fcit-PID-I}), each with one veth pair whose outer end
 * is a port of a bridge ({@code fcbrPID}) in the root namespace, addresses 10.213.S.I+1/24 inside them and
 * 10.213.S.254 on the bridge, so the test reaches them and they reach each other, and nothing else does. Where
 * namespaces are not permitted, the hosts are the loopback addresses 127.0.0.2.. instead, and {@link #namespaces}
 * says so ({@code -Dforkcast.it.netns=off} asks for the fallback). On close (and from a shutdown hook) every process inside the namespaces is killed and the namespaces,
 * veths and bridge are deleted; leftovers of a run whose JVM is gone are deleted at the next start.
 */
final class NetnsHosts implements AutoCloseable {
    private static final String PREFIX = "fcit-";
    private static final String BRIDGE_PREFIX = "fcbr";
    private static final String VETH_PREFIX = "fcv";
    private static final Pattern OWNED = Pattern.compile("^(?:fcit-|fcbr|fcv)(\\d+)");

    private final long owner = ProcessHandle.current().pid();
    private final List<String> names = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    /** Why namespaces could not be used, or null when the hosts are namespaces. */
    private final String fallbackReason;

    private final Thread cleanup = new Thread(this::close, "it-netns-cleanup");

    private NetnsHosts(String fallbackReason) {
        this.fallbackReason = fallbackReason;
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** {@code count} hosts: namespaces if this machine allows them, loopback addresses otherwise (printed). */
    static NetnsHosts create(int count) throws IOException {
        cleanLeftovers();
        String why = namespacesRefused();
        if (why != null) {
            System.out.println("NetnsHosts: network namespaces not permitted here (" + why
                    + "): the hosts are loopback addresses 127.0.0.2-" + (count + 1) + " instead");
            var hosts = new NetnsHosts(why);
            for (int i = 0; i < count; i++) {
                hosts.addresses.add("127.0.0." + (i + 2));
            }
            return hosts;
        }
        var hosts = new NetnsHosts(null);
        try {
            int subnet = freeSubnet();
            String bridge = BRIDGE_PREFIX + hosts.owner;
            must("ip", "link", "add", bridge, "type", "bridge");
            must("ip", "addr", "add", "10.213." + subnet + ".254/24", "dev", bridge);
            must("ip", "link", "set", bridge, "up");
            for (int i = 0; i < count; i++) {
                String name = PREFIX + hosts.owner + "-" + i;
                String veth = VETH_PREFIX + hosts.owner + "-" + i;
                String address = "10.213." + subnet + "." + (i + 1);
                must("ip", "netns", "add", name);
                hosts.names.add(name);
                must("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", name);
                must("ip", "link", "set", veth, "master", bridge);
                must("ip", "link", "set", veth, "up");
                must("ip", "-n", name, "link", "set", "lo", "up");
                must("ip", "-n", name, "addr", "add", address + "/24", "dev", "eth0");
                must("ip", "-n", name, "link", "set", "eth0", "up");
                hosts.addresses.add(address);
            }
            System.out.println("NetnsHosts: " + count + " network namespaces " + hosts.names + " at " + hosts.addresses
                    + " on bridge " + bridge + " (10.213." + subnet + ".254)");
            return hosts;
        } catch (IOException | RuntimeException e) {
            hosts.close();
            throw e;
        }
    }

    /** True when the hosts are network namespaces; false for the loopback fallback. */
    boolean namespaces() {
        return fallbackReason == null;
    }

    int size() {
        return addresses.size();
    }

    /** Host {@code i}'s address, the only one its servers bind and the one the test connects to. */
    String address(int i) {
        return addresses.get(i);
    }

    /** What runs a command on host {@code i}: {@code ip netns exec NAME}, or nothing on loopback. */
    List<String> prefix(int i) {
        return namespaces() ? List.of("ip", "netns", "exec", names.get(i)) : List.of();
    }

    /** {@code prefix(i)} followed by {@code command}. */
    List<String> on(int i, List<String> command) {
        var all = new ArrayList<>(prefix(i));
        all.addAll(command);
        return all;
    }

    /** Cuts host {@code i} off (its eth0 down): its connections stall, nothing is reset. Namespaces only. */
    void cut(int i) throws IOException {
        link(i, "down");
    }

    /** Puts host {@code i}'s link back up after {@link #cut}. */
    void mend(int i) throws IOException {
        link(i, "up");
    }

    private void link(int i, String state) throws IOException {
        if (!namespaces()) {
            throw new IllegalStateException("no link to cut on loopback hosts");
        }
        must("ip", "-n", names.get(i), "link", "set", "eth0", state);
    }

    @Override
    public synchronized void close() {
        for (String name : names) {
            delete(name);
        }
        names.clear();
        if (namespaces()) {
            quiet("ip", "link", "del", BRIDGE_PREFIX + owner);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // Shutting down: this is the hook.
        }
    }

    /** Kills every process in namespace {@code name}, then deletes it (its veth end goes with it). */
    private static void delete(String name) {
        for (int attempt = 0; attempt < 5; attempt++) {
            var pids = quiet("ip", "netns", "pids", name)
                    .lines()
                    .map(String::strip)
                    .filter(p -> p.matches("\\d+"))
                    .toList();
            if (pids.isEmpty()) {
                break;
            }
            for (String pid : pids) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
            pause();
        }
        quiet("ip", "netns", "del", name);
    }

    /** Deletes namespaces, bridges and veths of earlier runs whose JVM is no longer alive. */
    private static void cleanLeftovers() {
        if (Tools.find("ip") == null) {
            return;
        }
        for (String line : quiet("ip", "netns", "list").lines().toList()) {
            String name = line.split("\\s+", -1)[0];
            if (name.startsWith(PREFIX) && deadOwner(name)) {
                System.out.println("NetnsHosts: deleting namespace " + name + " left by an earlier run");
                delete(name);
            }
        }
        for (String line : quiet("ip", "-o", "link", "show").lines().toList()) {
            String[] fields = line.split(":\\s+|@", 3);
            if (fields.length > 1
                    && (fields[1].startsWith(BRIDGE_PREFIX) || fields[1].startsWith(VETH_PREFIX))
                    && deadOwner(fields[1])) {
                System.out.println("NetnsHosts: deleting link " + fields[1] + " left by an earlier run");
                quiet("ip", "link", "del", fields[1]);
            }
        }
    }

    private static boolean deadOwner(String name) {
        var m = OWNED.matcher(name);
        return m.find()
                && ProcessHandle.of(Long.parseLong(m.group(1)))
                        .map(h -> !h.isAlive())
                        .orElse(true);
    }

    /** Null when this process may make namespaces, else why not (no ip, not root, a sandbox refusing it). */
    private static String namespacesRefused() {
        if ("off".equals(System.getProperty("forkcast.it.netns"))) {
            return "turned off by -Dforkcast.it.netns=off";
        }
        if (Tools.find("ip") == null) {
            return "no ip command";
        }
        String probe = PREFIX + ProcessHandle.current().pid() + "-probe";
        var result = run(List.of("ip", "netns", "add", probe));
        if (result.code() != 0) {
            return "ip netns add: " + result.output().strip();
        }
        var exec = run(List.of("ip", "netns", "exec", probe, "true"));
        quiet("ip", "netns", "del", probe);
        return exec.code() == 0 ? null : "ip netns exec: " + exec.output().strip();
    }

    /** A third octet S for 10.213.S.0/24 that no address of the root namespace uses. */
    private static int freeSubnet() {
        String used = quiet("ip", "-4", "-o", "addr", "show");
        int start = (int) (ProcessHandle.current().pid() % 250);
        for (int k = 0; k < 250; k++) {
            int s = (start + k) % 250 + 1;
            if (!used.contains(" 10.213." + s + ".")) {
                return s;
            }
        }
        throw new IllegalStateException("no free 10.213.S.0/24 subnet\n" + used);
    }

    private record Result(int code, String output) {}

    private static Result run(List<String> command) {
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, output + " (timed out)");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    private static void must(String... command) throws IOException {
        var result = run(List.of(command));
        if (result.code() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + result.code() + "): "
                    + result.output().strip());
        }
    }

    private static String quiet(String... command) {
        return run(List.of(command)).output();
    }

    private static void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
    }
}
