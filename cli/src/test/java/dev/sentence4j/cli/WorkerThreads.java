package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * The model worker threads ({@code sentence4j-P-worker-W}: pool P, thread W) a JFR recording saw start.
 * A model's pool starts a thread per batch until it has as many as the model's {@code threads}, and
 * JFR records each start with the thread's name, so a recording tells how many workers a run used
 * after the run, its model closed, is over: no timing decides what is seen.
 */
final class WorkerThreads {
    private static final Pattern WORKER = Pattern.compile("sentence4j-(\\d+)-worker-\\d+");

    private WorkerThreads() {}

    /** The workers started while {@code recording} (a JFR file with {@code jdk.ThreadStart}) ran, all of one model's pool. */
    static List<String> startedIn(Path recording) throws IOException {
        List<String> workers = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (event.getEventType().getName().equals("jdk.ThreadStart")) {
                String thread = event.getThread("thread").getJavaName();
                if (thread != null && WORKER.matcher(thread).matches()) {
                    workers.add(thread);
                }
            }
        }
        assertThat(workers.stream().map(WorkerThreads::pool).distinct()).as("pools of %s", workers).hasSizeLessThanOrEqualTo(1);
        return workers;
    }

    private static String pool(String worker) {
        Matcher matcher = WORKER.matcher(worker);
        assertThat(matcher.matches()).isTrue();
        return matcher.group(1);
    }
}
