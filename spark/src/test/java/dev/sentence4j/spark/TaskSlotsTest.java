package dev.sentence4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TaskSlotsTest {
    @Test
    void localMastersGiveTheirThreadCount() {
        assertThat(TaskSlots.slots("local", null, 1, 16)).isEqualTo(1);
        assertThat(TaskSlots.slots("local[2]", null, 1, 16)).isEqualTo(2);
        assertThat(TaskSlots.slots("local[*]", null, 1, 16)).isEqualTo(16);
        assertThat(TaskSlots.slots("local[4, 3]", "8", 1, 16)).isEqualTo(4);
        assertThat(TaskSlots.slots("local-cluster[2, 3, 1024]", null, 1, 16)).isEqualTo(3);
    }

    @Test
    void clusterExecutorsGiveTheirCoresOverTheCoresOfATask() {
        assertThat(TaskSlots.slots("yarn", "8", 1, 64)).isEqualTo(8);
        assertThat(TaskSlots.slots("k8s://https://host:443", "8", 2, 64)).isEqualTo(4);
        assertThat(TaskSlots.slots("spark://host:7077", null, 1, 12)).as("a standalone executor takes every core").isEqualTo(12);
        assertThat(TaskSlots.slots("yarn", "1", 2, 64)).as("never below one").isEqualTo(1);
    }
}
