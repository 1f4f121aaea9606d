package io.forkcast.supervisor.signal;

import io.forkcast.protocol.log.EventLog;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * Routes POSIX signals to a callback through the JDK's {@code sun.misc.Signal}, which runs handlers on an
 * ordinary Java thread (unlike a native handler, nothing is restricted to async-signal-safe calls). The callback
 * only enqueues an event for the loop. Reached by reflection so the build needs no internal API.
 */
public final class Signals {
    private Signals() {}

    /**
     * Calls {@code handler} with the signal each time one of {@code signals} arrives. A signal inherited as ignored
     * is first set back to its default (logged {@code event=signal_reset}); one that still cannot be handled is
     * logged {@code event=signal_unhandled} and the others are handled all the same.
     */
    @SuppressWarnings("ReferenceEquality") // the proxy equals only itself; equals() would call back into the proxy
    public static void handle(Consumer<Signal> handler, EventLog log, Signal... signals) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object proxy = Proxy.newProxyInstance(
                    Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, (self, method, args) -> {
                        if (method.getName().equals("handle")) {
                            handler.accept(Signal.named(
                                    (String) signalClass.getMethod("getName").invoke(args[0])));
                            return null;
                        }
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(self);
                            case "equals" -> self == args[0];
                            default -> "Signals.handler";
                        };
                    });
            Object ignore = handlerClass.getField("SIG_IGN").get(null);
            for (Signal s : signals) {
                try {
                    if (Dispositions.resetIfIgnored(s)) {
                        log.warn("event=signal_reset signal=" + s.name() + " was=ignored");
                    }
                } catch (RuntimeException | LinkageError e) {
                    log.error("event=signal_unhandled signal=" + s.name() + " reason="
                            + EventLog.quote("cannot reset its disposition: " + e));
                }
                Object signal = signalClass.getConstructor(String.class).newInstance(s.name());
                Object previous = signalClass
                        .getMethod("handle", signalClass, handlerClass)
                        .invoke(null, signal, proxy);
                if (previous == ignore) {
                    // The JVM leaves a signal that is still ignored alone and says so only by this answer.
                    log.error("event=signal_unhandled signal=" + s.name() + " reason=ignored");
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot install signal handlers: " + e, e);
        }
    }
}
