package dev.imageservice.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Turns among clients, arrival order within one. */
class FairShareQueueTest {
    private record Call(String client, int number) {
    }

    private static FairShareQueue<Call> queue() {
        return new FairShareQueue<>(Call::client);
    }

    private static List<String> drain(FairShareQueue<Call> queue) {
        List<String> order = new ArrayList<>();
        while (!queue.isEmpty()) {
            Call next = queue.peek();
            assertThat(queue.poll()).isSameAs(next);
            order.add(next.client() + next.number());
        }
        return order;
    }

    @Test
    void aClientWithABacklogTakesTurnsWithOneThatCameLater() {
        FairShareQueue<Call> queue = queue();
        for (int i = 1; i <= 5; i++) {
            queue.add(new Call("a", i));
        }
        queue.add(new Call("b", 1));
        queue.add(new Call("b", 2));
        assertThat(queue.size()).isEqualTo(7);
        assertThat(queue.queuedBy("a")).isEqualTo(5);
        assertThat(queue.clients()).isEqualTo(2);

        List<String> expected = List.of("a1", "b1", "a2", "b2", "a3", "a4", "a5");
        List<String> iterated = new ArrayList<>();
        queue.forEach(call -> iterated.add(call.client() + call.number()));
        assertThat(iterated).as("iteration is the serving order").isEqualTo(expected);
        assertThat(drain(queue)).isEqualTo(expected);
        assertThat(queue.peek()).isNull();
        assertThat(queue.poll()).isNull();
    }

    @Test
    void aNewClientTakesTheLastTurnNotTheNext() {
        FairShareQueue<Call> queue = queue();
        queue.add(new Call("a", 1));
        queue.add(new Call("b", 1));
        queue.add(new Call("a", 2));
        queue.poll(); // a1: a's next turn comes after b's
        queue.add(new Call("c", 1));
        assertThat(drain(queue)).containsExactly("b1", "a2", "c1");
    }

    @Test
    void removingAClientsLastWaiterTakesItOutOfTheTurns() {
        FairShareQueue<Call> queue = queue();
        Call a1 = new Call("a", 1);
        Call b1 = new Call("b", 1);
        queue.add(a1);
        queue.add(b1);
        queue.add(new Call("a", 2));
        assertThat(queue.remove(b1)).isTrue();
        assertThat(queue.remove(b1)).as("already gone").isFalse();
        assertThat(queue.remove(new Call("z", 1))).isFalse();
        assertThat(queue.queuedBy("b")).isZero();
        assertThat(queue.clients()).isEqualTo(1);
        assertThat(queue.remove(a1)).isTrue();
        assertThat(drain(queue)).containsExactly("a2");
        assertThat(queue.size()).isZero();
    }

    @Test
    void aClientTakenOutOfTurnUsesItsTurnAndTheSkippedOneKeepsItsPlace() {
        FairShareQueue<Call> queue = queue();
        Call a1 = new Call("a", 1);
        queue.add(a1);
        queue.add(new Call("a", 2));
        Call b1 = new Call("b", 1);
        queue.add(b1);
        queue.add(new Call("b", 2));
        queue.add(new Call("c", 1));
        assertThat(queue.heads()).extracting(call -> call.client() + call.number()).containsExactly("a1", "b1", "c1");
        assertThat(queue.waitingClients()).containsExactlyInAnyOrder("a", "b", "c");

        assertThat(queue.pollOutOfTurn(b1)).isSameAs(b1);
        assertThat(queue.heads()).extracting(call -> call.client() + call.number()).containsExactly("a1", "c1", "b2");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> queue.pollOutOfTurn(new Call("a", 2)));
        assertThat(drain(queue)).containsExactly("a1", "c1", "b2", "a2");
        assertThat(queue.waitingClients()).isEmpty();
    }
}
