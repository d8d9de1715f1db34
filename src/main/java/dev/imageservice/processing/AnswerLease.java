package dev.imageservice.processing;

/**
 * The memory of a finished image's answer, counted until the transport has written it (or its call
 * ended); when it is given back, the answer counts as written for the {@link WorkPace}, whose write
 * rate decides at shutdown which waiters can still be answered in time.
 */
final class AnswerLease extends AdmissionController.Lease {
    private final WorkPace pace;

    AnswerLease(AdmissionController owner, long bytes, WorkPace pace, String client) {
        owner.super(bytes, true, client);
        this.pace = pace;
    }

    /** Called with the controller's lock held, as {@link WorkPace} needs. */
    @Override
    boolean release() {
        long bytes = bytes();
        if (!super.release()) {
            return false;
        }
        pace.written(bytes, System.nanoTime());
        return true;
    }
}
