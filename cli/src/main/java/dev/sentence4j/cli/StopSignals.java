package dev.sentence4j.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Catches Ctrl-C (SIGINT), SIGTERM and SIGHUP before the JVM begins to shut down, and hands the first to
 * a handler ({@link ProcessStop}); a second signal ends the process at once. The signals are caught
 * through {@code sun.misc.Signal}, which every OpenJDK has but no public API offers, so it is reached
 * by reflection; without it, the JVM's own handling stays.
 */
final class StopSignals {
    /** What the first signal does. */
    @FunctionalInterface
    interface Handler {
        /**
         * @param name the signal's name without {@code SIG}, such as {@code INT}
         * @param status the exit status a shell reports for it: 128 plus its number
         */
        void stop(String name, int status);
    }

    /** The signals caught, with the statuses shells report for processes they end. */
    private static final Map<String, Integer> SIGNALS = Map.of("INT", 130, "TERM", 143, "HUP", 129);

    private StopSignals() {}

    static void install(Handler handler) {
        AtomicBoolean stopping = new AtomicBoolean();
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method getName = signal.getMethod("getName");
            Object proxy = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                    (self, method, args) -> {
                        if (method.getDeclaringClass() == Object.class) {
                            return method.getName().equals("equals") ? self == args[0]
                                    : method.getName().equals("hashCode") ? System.identityHashCode(self) : "StopSignals";
                        }
                        // The JVM runs each signal's handler on a thread of its own.
                        String name = (String) getName.invoke(args[0]);
                        int status = SIGNALS.getOrDefault(name, 130);
                        if (!stopping.compareAndSet(false, true)) {
                            Runtime.getRuntime().halt(status);
                        }
                        handler.stop(name, status);
                        return null;
                    });
            Method handle = signal.getMethod("handle", signal, handlerType);
            for (String name : SIGNALS.keySet()) {
                try {
                    handle.invoke(null, signal.getConstructor(String.class).newInstance(name), proxy);
                } catch (InvocationTargetException e) {
                    // A signal the process was started to ignore (SIGINT in a background job) stays ignored.
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // No sun.misc.Signal: the JVM's own handling stays.
        }
    }
}
