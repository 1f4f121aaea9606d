package io.forkcast.it;

/**
 * A worker main class for start-deadline tests, started by the real supervisor through {@code --worker-main}: it
 * never connects to the hub, as a JVM stuck in its start would, and waits to be killed.
 */
public final class StalledWorker {
    private StalledWorker() {}

    public static void main(String[] args) throws InterruptedException {
        // Not a test waiting for time: this process plays a JVM that never finishes starting, until it is killed.
        Thread.sleep(Long.MAX_VALUE);
    }
}
