package dev.imageservice.ops.requests;

import dev.imageservice.processing.StageListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Which requests are in image work now (admitted, decoding, transforming or encoding: where the C
 * libraries run), and which left it a moment ago, so that the native library messages' reader
 * ({@code ops.logging.NativeStderr}) can name the request
 * a native library's line came from. A line is read from the pipe a little after the C call printed
 * it, so a request that left work within {@link #RECENT_NANOS} before the line was read is still a
 * candidate. Fed by {@link InWorkImageProcessor}; thread-safe.
 */
public final class RequestsInWork {
    /** The one registry, which the native library messages' reader (started in {@code main}) reads. */
    public static final RequestsInWork INSTANCE = new RequestsInWork();
    /** How long after leaving work a request may still have printed a line being read. */
    static final long RECENT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Up to this many candidates are named; more are counted. */
    static final int NAMED_AT_MOST = 4;
    private static final int RECENT_KEPT_AT_MOST = 256;

    private final Set<Visit> inWork = new LinkedHashSet<>();
    private final ArrayDeque<Visit> recentlyLeft = new ArrayDeque<>();

    /** One request's time in work: a stage listener that enters it when admission ends. */
    public final class Visit implements StageListener {
        private final String requestId;
        private boolean entered;
        private boolean done;
        private long leftNanos;

        private Visit(String requestId) {
            this.requestId = requestId;
        }

        @Override
        public void stageEnded(Stage stage, String name, long startNanos, long endNanos) {
            if (stage == Stage.QUEUE) {
                entered(this);
            }
        }

        /** The request's work ended (or it never started); idempotent. */
        public void left() {
            RequestsInWork.this.left(this);
        }
    }

    /** A visit for request {@code requestId}, in work once its admission ends. */
    public Visit visit(String requestId) {
        return new Visit(requestId);
    }

    private synchronized void entered(Visit visit) {
        if (!visit.entered && !visit.done) {
            visit.entered = true;
            inWork.add(visit);
        }
    }

    private synchronized void left(Visit visit) {
        if (visit.done) {
            return;
        }
        visit.done = true;
        if (inWork.remove(visit)) {
            visit.leftNanos = System.nanoTime();
            recentlyLeft.addLast(visit);
            prune(visit.leftNanos);
        }
    }

    private void prune(long now) {
        while (!recentlyLeft.isEmpty() && (now - recentlyLeft.peekFirst().leftNanos > RECENT_NANOS
                || recentlyLeft.size() > RECENT_KEPT_AT_MOST)) {
            recentlyLeft.pollFirst();
        }
    }

    /** The ids of the requests that may have printed a line read at {@code nowNanos}, oldest first. */
    public synchronized List<String> candidates(long nowNanos) {
        prune(nowNanos);
        List<String> ids = new ArrayList<>(recentlyLeft.size() + inWork.size());
        recentlyLeft.forEach(visit -> ids.add(visit.requestId));
        inWork.forEach(visit -> ids.add(visit.requestId));
        return ids;
    }

    /** How a log line names {@code candidates}: "during request X", "during one of N requests: ...", ... */
    public static String describe(List<String> candidates) {
        if (candidates.isEmpty()) {
            return "; request not known";
        }
        if (candidates.size() == 1) {
            return " during request " + candidates.get(0);
        }
        if (candidates.size() <= NAMED_AT_MOST) {
            return " during one of " + candidates.size() + " requests: " + String.join(", ", candidates);
        }
        return " during " + candidates.size() + " requests";
    }
}
