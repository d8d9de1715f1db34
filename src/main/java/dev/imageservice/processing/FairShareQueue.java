package dev.imageservice.processing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The admission queue shared fairly among clients: one first-come, first-served queue per client,
 * served in turns (round robin). A client with 500 calls waiting gets every other turn when a
 * second client has one waiting, instead of the second waiting behind all 500. Within a client the
 * order is strict arrival order, and the next waiter ({@link #peek}) is never overtaken: if it does
 * not fit yet, nobody behind it goes first, so large images cannot starve.
 *
 * <p>Not thread-safe: {@link AdmissionController} calls it with its lock held.
 *
 * @param <W> a waiter; {@code clientOf} tells whose it is
 */
final class FairShareQueue<W> implements Iterable<W> {
    private final Function<W, String> clientOf;
    private final Map<String, ArrayDeque<W>> byClient = new HashMap<>();
    /** Clients with waiters, the one whose turn is next first. */
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    private int size;

    FairShareQueue(Function<W, String> clientOf) {
        this.clientOf = clientOf;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** Waiters of {@code client} now. */
    int queuedBy(String client) {
        ArrayDeque<W> waiters = byClient.get(client);
        return waiters == null ? 0 : waiters.size();
    }

    /** Clients with at least one waiter. */
    int clients() {
        return byClient.size();
    }

    /** Adds {@code waiter} behind its client's others; a client new to the queue takes the last turn. */
    void add(W waiter) {
        byClient.computeIfAbsent(clientOf.apply(waiter), client -> {
            turns.addLast(client);
            return new ArrayDeque<>();
        }).addLast(waiter);
        size++;
    }

    /** The waiter whose turn is next, or null. */
    W peek() {
        String client = turns.peekFirst();
        return client == null ? null : byClient.get(client).peekFirst();
    }

    /** Takes the waiter whose turn it is; its client's next waiter waits for the client's next turn. */
    W poll() {
        String client = turns.pollFirst();
        if (client == null) {
            return null;
        }
        ArrayDeque<W> waiters = byClient.get(client);
        W waiter = waiters.pollFirst();
        size--;
        if (waiters.isEmpty()) {
            byClient.remove(client);
        } else {
            turns.addLast(client);
        }
        return waiter;
    }

    /** The clients with at least one waiter (a view). */
    Set<String> waitingClients() {
        return Collections.unmodifiableSet(byClient.keySet());
    }

    /** Each client's next waiter, in the order of the clients' turns ({@link #peek} first). */
    List<W> heads() {
        List<W> heads = new ArrayList<>(turns.size());
        for (String client : turns) {
            heads.add(byClient.get(client).peekFirst());
        }
        return heads;
    }

    /**
     * Takes {@code waiter}, the next of its client: in turn if its client's turn is next ({@link
     * #poll}), else out of turn ({@link #pollOutOfTurn}).
     */
    W take(W waiter) {
        return waiter == peek() ? poll() : pollOutOfTurn(waiter);
    }

    /**
     * Takes the next waiter of {@code waiter}'s client (which must be {@code waiter}) out of turn:
     * that client's turn is used and its next waiter waits for its next turn; the clients whose turn
     * came earlier keep their places.
     */
    W pollOutOfTurn(W waiter) {
        String client = clientOf.apply(waiter);
        ArrayDeque<W> waiters = byClient.get(client);
        if (waiters == null || waiters.peekFirst() != waiter) {
            throw new IllegalArgumentException("not the next waiter of its client");
        }
        waiters.pollFirst();
        size--;
        turns.remove(client);
        if (waiters.isEmpty()) {
            byClient.remove(client);
        } else {
            turns.addLast(client);
        }
        return waiter;
    }

    /** Takes {@code waiter} out wherever it is (cancelled, timed out); false if it is not queued. */
    boolean remove(W waiter) {
        String client = clientOf.apply(waiter);
        ArrayDeque<W> waiters = byClient.get(client);
        if (waiters == null || !waiters.remove(waiter)) {
            return false;
        }
        size--;
        if (waiters.isEmpty()) {
            byClient.remove(client);
            turns.remove(client);
        }
        return true;
    }

    /** The waiters in the order they would be served if each fitted at once (turn by turn). */
    @Override
    public Iterator<W> iterator() {
        List<Iterator<W>> queues = new ArrayList<>(turns.size());
        for (String client : turns) {
            queues.add(byClient.get(client).iterator());
        }
        List<W> order = new ArrayList<>(size);
        while (!queues.isEmpty()) {
            for (Iterator<Iterator<W>> each = queues.iterator(); each.hasNext(); ) {
                Iterator<W> queue = each.next();
                order.add(queue.next());
                if (!queue.hasNext()) {
                    each.remove();
                }
            }
        }
        return order.iterator();
    }
}
