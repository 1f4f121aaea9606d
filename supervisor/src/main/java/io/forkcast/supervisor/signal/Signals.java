package io.forkcast.supervisor.signal;

import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * Routes POSIX signals to a callback through the JDK's {@code sun.misc.Signal}, which runs handlers on an
 * ordinary Java thread (unlike a native handler, nothing is restricted to async-signal-safe calls). The callback
 * only enqueues an event for the loop. Reached by reflection so the build needs no internal API.
 */
public final class Signals {
    private Signals() {}

    /** Calls {@code handler} with the signal each time one of {@code signals} arrives. */
    @SuppressWarnings("ReferenceEquality") // the proxy equals only itself; equals() would call back into the proxy
    public static void handle(Consumer<Signal> handler, Signal... signals) {
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
            for (Signal s : signals) {
                Object signal = signalClass.getConstructor(String.class).newInstance(s.name());
                signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, proxy);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot install signal handlers: " + e, e);
        }
    }
}
