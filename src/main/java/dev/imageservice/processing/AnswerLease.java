package dev.imageservice.processing;

/**
 * The memory of a finished image's answer, counted until the transport has written it (or its call
 * ended); when it is given back, the answer counts as written for the {@link WorkPace}, whose write
 * rate decides at shutdown which waiters can still be answered in time. It may also be taken back
 * unwritten ({@link #reclaimIfCrowding}) when it keeps other clients' work waiting.
 */
final class AnswerLease extends AdmissionController.Lease implements Runnable {
    private final AdmissionController owner;
    private final WorkPace pace;

    AnswerLease(AdmissionController owner, long bytes, WorkPace pace, String client) {
        owner.super(bytes, true, client);
        this.owner = owner;
        this.pace = pace;
    }

    /** Gives the memory back: the answer is written (or its call is over). */
    @Override
    public void run() {
        close();
    }

    /**
     * Gives the memory back unwritten if its client holds more than its fair share of the work share
     * while another client, within its share, waits for work memory (see
     * {@link AdmissionController#reclaim}); the transport must then end the call at once.
     */
    boolean reclaimIfCrowding() {
        return owner.reclaim(this);
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

    /** Gives the memory back without counting it as written. Called with the controller's lock held. */
    boolean releaseUnwritten() {
        return super.release();
    }
}
