package dev.vecgd.solver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link History}'s bookkeeping traced by hand: every iteration until it is full, then every second entry dropped
 * and the stride doubled (an iteration off the new stride is not recorded), losses and gradient norms kept with
 * their iterations, copies returned.
 */
class HistoryTest {

    private static History recorded(int capacity, int iterations) {
        History h = new History(capacity);
        for (int k = 0; k < iterations; k++) h.record(k, 100.0 + k, 0.5 * k);
        return h;
    }

    @Test
    void keepsEveryIterationUntilFull() {
        History h = recorded(4, 4);
        assertEquals(4, h.size());
        assertArrayEquals(new int[]{0, 1, 2, 3}, h.iterations());
        assertArrayEquals(new double[]{100, 101, 102, 103}, h.losses());
        assertArrayEquals(new double[]{0, 0.5, 1, 1.5}, h.gradientNorms());
    }

    @Test
    void thinsToEveryOtherEntryWhenFull() {
        // capacity 4: 0 1 2 3 | 4 → 0 2 4 | 5 skipped, 6 → 0 2 4 6 | 7 skipped, 8 → 0 4 8 | 9 skipped
        History h = recorded(4, 10);
        assertEquals(3, h.size());
        assertArrayEquals(new int[]{0, 4, 8}, h.iterations());
        assertArrayEquals(new double[]{100, 104, 108}, h.losses());
        assertArrayEquals(new double[]{0, 2, 4}, h.gradientNorms());
    }

    @Test
    void anIterationOffTheNewStrideIsDropped() {
        // capacity 3: 0 1 2 | 3 → thin to 0 2, 3 is odd: not recorded | 4 → 0 2 4 | 6 → thin to 0 4, 6 is not a
        // multiple of 4: not recorded | 8 → 0 4 8
        History h = recorded(3, 4);
        assertArrayEquals(new int[]{0, 2}, h.iterations());
        assertArrayEquals(new double[]{100, 102}, h.losses());
        History later = recorded(3, 7);
        assertArrayEquals(new int[]{0, 4}, later.iterations());
        History last = recorded(3, 9);
        assertArrayEquals(new int[]{0, 4, 8}, last.iterations());
        assertArrayEquals(new double[]{0, 2, 4}, last.gradientNorms());
    }

    @Test
    void alwaysSpansTheWholeFitWithinItsCapacity() {
        History h = recorded(8, 1000);
        int[] it = h.iterations();
        assertTrue(h.size() <= 8 && h.size() >= 4, "size " + h.size());
        assertEquals(0, it[0]);
        assertTrue(it[it.length - 1] >= 1000 - 1000 / 4, "last recorded " + it[it.length - 1]);
        for (int e = 1; e < it.length; e++) assertEquals(it[1] - it[0], it[e] - it[e - 1], "equal spacing");
    }

    @Test
    void returnsCopies() {
        History h = recorded(4, 3);
        h.iterations()[0] = 99;
        h.losses()[0] = 99;
        h.gradientNorms()[0] = 99;
        assertArrayEquals(new int[]{0, 1, 2}, h.iterations());
        assertArrayEquals(new double[]{100, 101, 102}, h.losses());
        assertArrayEquals(new double[]{0, 0.5, 1}, h.gradientNorms());
    }

    @Test
    void capacityMustBeAtLeastTwo() {
        assertEquals(0, new History(2).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new History(1));
        assertEquals("history capacity must be >= 2, got 1", e.getMessage());
    }
}
