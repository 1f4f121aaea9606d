package io.forkcast.worker.hub;

import java.io.File;

/**
 * The JNI helper built from {@code worker/src/main/c/forkcast_worker.c}: {@code recvmsg} with SCM_RIGHTS and
 * {@code dup2} onto fd 0 for a spare worker's hand-off. The library sits beside the worker's jar (the build's
 * {@code worker/target}, an installed tree's {@code lib/worker}), found from the class path. Loaded by {@link
 * FdReceiver} on the spare's main thread.
 */
@SuppressWarnings("restricted") // native access is enabled for workers by their JVM options
final class JniFd {
    /** The library's file name, beside the worker's jar (or, in the build, beside its classes directory). */
    static final String LIBRARY = "libforkcast-worker.so";

    private JniFd() {}

    /** Loads the library; returns null when it loaded, else why not, in a few words. */
    static String load() {
        String path = libraryPath(System.getProperty("java.class.path", ""));
        if (path == null) {
            return "no forkcast-worker jar on the class path";
        }
        try {
            System.load(path);
            return null;
        } catch (UnsatisfiedLinkError | SecurityException e) {
            return String.valueOf(e.getMessage());
        }
    }

    /** Where the library is, given the class path: beside the first forkcast-worker jar or classes directory. */
    static String libraryPath(String classPath) {
        for (String entry : classPath.split(File.pathSeparator, -1)) {
            int slash = entry.lastIndexOf('/');
            String name = entry.substring(slash + 1);
            boolean jar = name.startsWith("forkcast-worker") && name.endsWith(".jar");
            boolean classes = entry.endsWith("/worker/target/classes");
            if ((jar || classes) && slash > 0) {
                return new File(entry.substring(0, slash), LIBRARY).getAbsolutePath();
            }
        }
        return null;
    }

    /**
     * One blocking recvmsg of up to {@code bytes.length} bytes (at most 64 KiB) on {@code socketFd}; a descriptor
     * that came with them goes to {@code fdOut[0]} (-1 when none). Returns the byte count, or minus errno.
     */
    static native int receive(int socketFd, byte[] bytes, int[] fdOut);

    /** dup2(fd, 0), then close(fd); returns 0 or dup2's errno. */
    static native int moveToStdin(int fd);
}
