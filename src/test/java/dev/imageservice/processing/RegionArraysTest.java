package dev.imageservice.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegionArraysTest {

    @Test
    void anArrayGivenBackIsHandedOutAgain() {
        long inUse = RegionArrays.inUse();
        byte[] array = RegionArrays.take();
        assertThat(array).hasSize(RegionArrays.BYTES);
        assertThat(RegionArrays.inUse()).isEqualTo(inUse + 1);

        RegionArrays.give(array);
        assertThat(RegionArrays.inUse()).isEqualTo(inUse);
        long reused = RegionArrays.reused();
        byte[] again = RegionArrays.take();
        assertThat(again).isSameAs(array);
        assertThat(RegionArrays.reused()).isEqualTo(reused + 1);
        RegionArrays.give(again);
    }

    @Test
    void anArrayGivenBackTwiceIsRefused() {
        byte[] array = RegionArrays.take();
        RegionArrays.give(array);
        assertThatThrownBy(() -> RegionArrays.give(array)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RegionArrays.give(new byte[100])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsAtMostItsIdleBoundAndForgottenArraysAreNotKept() {
        long inUse = RegionArrays.inUse();
        List<byte[]> taken = new ArrayList<>();
        for (int i = 0; i < RegionArrays.MAX_IDLE + 3; i++) {
            taken.add(RegionArrays.take());
        }
        taken.forEach(RegionArrays::give);
        assertThat(RegionArrays.idle()).isEqualTo(RegionArrays.MAX_IDLE);
        assertThat(RegionArrays.inUse()).isEqualTo(inUse);
        assertThat((long) RegionArrays.MAX_IDLE * RegionArrays.BYTES).isLessThanOrEqualTo(RegionArrays.MAX_IDLE_BYTES_CAP);

        RegionArrays.take();
        RegionArrays.take();
        RegionArrays.forget(2); // e.g. an answer whose write failed: left to the collector
        assertThat(RegionArrays.inUse()).isEqualTo(inUse);
        assertThat(RegionArrays.idle()).isEqualTo(RegionArrays.MAX_IDLE - 2);
    }
}
