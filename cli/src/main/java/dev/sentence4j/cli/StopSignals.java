package dev.sentence4j.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an action on Ctrl-C (SIGINT) or SIGTERM, before the JVM begins to shut down; a second signal
 * ends the process at once. Shutdown hooks cannot do this: they run all at once, in no order, and
 * ONNX Runtime's own hook frees its native environment, which crashes a model still encoding while
 * another hook lets requests finish. The signals are caught through {@code sun.misc.Signal}, which
 * every OpenJDK has but no public API offers, so it is reached by reflection; without it, the action
 * runs as a shutdown hook, the best left.
 */
final class StopSignals {
    /** The exit status of a process ended by a second Ctrl-C, as shells report SIGINT. */
    private static final int FORCED_STATUS = 130;

    private StopSignals() {}

    static void install(Runnable action) {
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable onSignal = () -> {
            if (!stopping.compareAndSet(false, true)) {
                Runtime.getRuntime().halt(FORCED_STATUS);
            }
            action.run();
        };
        int handled = 0;
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> {
                        if (method.getDeclaringClass() == Object.class) {
                            return method.getName().equals("equals") ? proxy == args[0]
                                    : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : "StopSignals";
                        }
                        // The JVM runs each signal's handler on a thread of its own.
                        onSignal.run();
                        return null;
                    });
            Method handle = signal.getMethod("handle", signal, handlerType);
            for (String name : List.of("INT", "TERM")) {
                try {
                    handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
                    handled++;
                } catch (InvocationTargetException e) {
                    // A signal the process was started to ignore (SIGINT in a background job) stays ignored.
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            handled = 0;
        }
        if (handled == 0) {
            Runtime.getRuntime().addShutdownHook(new Thread(action, "sentence4j-stop"));
        }
    }
}
