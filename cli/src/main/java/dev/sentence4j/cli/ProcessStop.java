package dev.sentence4j.cli;

import java.io.PrintWriter;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * How the command line stops on Ctrl-C, SIGTERM or SIGHUP, whatever it is doing, without a native crash.
 *
 * <p>Left to itself, the JVM answers these signals by running the shutdown hooks and exiting. One hook
 * is ONNX Runtime's, which frees its native environment, and the exit runs the native libraries'
 * destructors: a session being created or run on another thread at that moment dies with SIGSEGV in
 * libonnxruntime.so, leaving an {@code hs_err} file. Closing models from another shutdown hook cannot
 * help, since hooks run all at once. So the signals are caught ({@link StopSignals}) and the process
 * exits only once no native work runs or can start: new loads are refused, loads under way are waited
 * for, and everything open (a server, then its model) is closed, most recent first; closing a model
 * lets its running batches finish and fails the rest. Then one line is printed and the process exits
 * with 128 plus the signal's number, as a shell reports it; a command whose normal end is a stop (a
 * server) exits with 0. Files written under a temporary name ({@link PendingFile}) are removed on the
 * way out.
 */
final class ProcessStop {
    /** The one for this process, which {@link Main#main} hooks to the signals. */
    static final ProcessStop PROCESS = new ProcessStop(System::exit);

    /** Something open, held weakly: a model its command has let go of is closed already, and may be collected. */
    private record Entry(WeakReference<AutoCloseable> resource, Consumer<AutoCloseable> announce, boolean endsNormally) {}

    private final IntConsumer exit;
    private final List<Entry> open = new ArrayList<>();
    private PrintWriter err;
    private int opening;
    private String signal;

    ProcessStop(IntConsumer exit) {
        this.exit = exit;
    }

    /** Stops this process on Ctrl-C, SIGTERM and SIGHUP, telling {@code err}. */
    void install(PrintWriter err) {
        synchronized (this) {
            this.err = err;
        }
        StopSignals.install(this::stop);
    }

    /**
     * Opens something that holds native resources, such as a model, so that a stop waits for the opening to
     * end and then closes it.
     *
     * @throws Stopped if the process is stopping, before opening anything
     */
    <T extends AutoCloseable> T open(Supplier<T> opener) {
        return open(opener, resource -> {}, false);
    }

    /**
     * Opens a service whose stop is its command's normal end, such as a server: on a stop, {@code announce}
     * says so, the service is closed, and the process exits with 0.
     */
    <T extends AutoCloseable> T openService(Supplier<T> opener, Consumer<T> announce) {
        return open(opener, announce, true);
    }

    @SuppressWarnings("unchecked")
    private <T extends AutoCloseable> T open(Supplier<T> opener, Consumer<T> announce, boolean endsNormally) {
        synchronized (this) {
            if (signal != null) {
                throw new Stopped();
            }
            opening++;
        }
        T opened = null;
        try {
            opened = opener.get();
            synchronized (this) {
                if (signal == null) {
                    open.removeIf(entry -> entry.resource().get() == null);
                    open.add(new Entry(new WeakReference<>(opened), (Consumer<AutoCloseable>) announce, endsNormally));
                    return opened;
                }
            }
            // A stop came while opening: it waits for this close, since the opening still counts.
            closeQuietly(opened);
            throw new Stopped();
        } finally {
            synchronized (this) {
                opening--;
                notifyAll();
            }
        }
    }

    /** Waits for a stop under way to end the process; returns at once if there is none. */
    void awaitStop() {
        synchronized (this) {
            while (signal != null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Whether a signal has asked the process to stop: a command's failure from then on is the stop's doing. */
    synchronized boolean stopping() {
        return signal != null;
    }

    /** Stops the process as the class says; runs on the signal's own thread. */
    void stop(String name, int status) {
        List<Entry> toClose;
        synchronized (this) {
            signal = name;
            while (opening > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            toClose = new ArrayList<>(open);
            open.clear();
        }
        boolean endsNormally = false;
        for (int i = toClose.size() - 1; i >= 0; i--) {
            AutoCloseable resource = toClose.get(i).resource().get();
            if (resource != null) {
                toClose.get(i).announce().accept(resource);
                endsNormally |= toClose.get(i).endsNormally();
                closeQuietly(resource);
            }
        }
        if (!endsNormally) {
            PrintWriter out = err;
            if (out != null) {
                out.println(Main.NAME + ": stopped by SIG" + name);
                out.flush();
            }
        }
        exit.accept(endsNormally ? 0 : status);
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            // Stopping: what failed to close is freed with the process.
        }
    }

    /** The process is stopping: nothing more may be opened. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stopping", null, false, false);
        }
    }
}
