package dev.vecgd.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vecgd.data.Dataset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Options the chosen solver does not use are named in the result's warning, never silently ignored. */
class UnusedOptionsTest {

    static Dataset data() {
        SplittableRandom rnd = new SplittableRandom(5);
        int m = 500;
        double[] x = new double[m * 3];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < 3; j++) x[i * 3 + j] = rnd.nextDouble(-1, 1);
            y[i] = 1 + 2 * x[i * 3] - x[i * 3 + 1] + 0.5 * x[i * 3 + 2] + 0.01 * rnd.nextGaussian();
        }
        return Dataset.rowMajor(x, m, 3, y);
    }

    @Test
    void aLearningRateWithNormalOrCgIsNamed() {
        Dataset d = data();
        for (String solver : new String[] {"normal", "cg"}) {
            FitResult plain = LinearRegression.fit(d, FitOptions.builder().solver(solver).build());
            FitResult withRate = LinearRegression.fit(d, FitOptions.builder().solver(solver).learningRate(0.3).build());
            assertFalse(plain.warning().contains("not used"), solver + ": " + plain.warning());
            assertTrue(withRate.warning().contains("learningRate 0.3"), solver + ": " + withRate.warning());
            // ignored means ignored: the same fit either way
            assertArrayEquals(plain.coefficients(), withRate.coefficients(), 0.0, solver);
            assertEquals(plain.intercept(), withRate.intercept(), 0.0, solver);
        }
    }

    @Test
    void miniBatchOptionsWithoutMiniBatchesAndAWarmStartWithNormalAreNamed() {
        Dataset d = data();
        FitResult sched = LinearRegression.fit(d, FitOptions.builder().solver("gd")
                .schedule(StepSchedule.inverseTime(5)).averaging(true).varianceReduction(false).build());
        assertTrue(sched.warning().contains("schedule"), sched.warning());
        assertTrue(sched.warning().contains("averaging"), sched.warning());
        FitResult warm = LinearRegression.fit(d, FitOptions.builder().solver("normal")
                .warmStart(new double[] {2, -1, 0.5}, 1).build());
        assertTrue(warm.warning().contains("warmStart"), warm.warning());
        FitResult used = LinearRegression.fit(d, FitOptions.builder().solver("gd").learningRate(0.3).build());
        assertFalse(used.warning().contains("not used"), used.warning());
    }

    @Test
    void aCustomOptimizerThatIsNotUsedIsNamed() {
        Dataset d = data();
        java.util.function.Supplier<Optimizer> custom = PlainGradientDescent::new;
        FitResult l1 = LinearRegression.fit(d, FitOptions.builder().solver("gd").l1(0.01).optimizer(custom).build());
        assertTrue(l1.warning().contains("optimizer (l1 > 0: gd takes proximal steps"), l1.warning());
        FitResult nes = LinearRegression.fit(d, FitOptions.builder().solver("nesterov").optimizer(custom).build());
        assertTrue(nes.warning().contains("only solver gd uses a custom optimizer"), nes.warning());
        FitResult used = LinearRegression.fit(d, FitOptions.builder().solver("gd").optimizer(custom).build());
        assertFalse(used.warning().contains("optimizer"), used.warning());
        FitResult plainL1 = LinearRegression.fit(d, FitOptions.builder().solver("gd").l1(0.01).build());
        assertFalse(plainL1.warning().contains("optimizer"), plainL1.warning());
    }

    /** The sentence of {@link FitOptions#unusedOptions()}, word for word, in each of its branches. */
    @Test
    void theSentenceNamesWhyInEachCase() {
        String head = "options not used by this fit, ignored: ";
        java.util.function.Supplier<Optimizer> custom = PlainGradientDescent::new;
        assertEquals("", FitOptions.builder().solver("normal").build().unusedOptions());
        assertEquals(head + "learningRate 0.3 (solver normal solves directly)",
                FitOptions.builder().solver("normal").learningRate(0.3).build().unusedOptions());
        assertEquals(head + "learningRate 0.3 (solver cg chooses its own steps)",
                FitOptions.builder().solver("cg").learningRate(0.3).build().unusedOptions());
        assertEquals("", FitOptions.builder().solver("gd").learningRate(0.3).build().unusedOptions());
        assertEquals(head + "optimizer (l1 > 0: gd takes proximal steps, plain proximal gradient)",
                FitOptions.builder().solver("gd").l1(0.01).optimizer(custom).build().unusedOptions());
        assertEquals(head + "optimizer (l1 > 0: nesterov takes proximal steps, FISTA)",
                FitOptions.builder().solver("nesterov").l1(0.01).optimizer(custom).build().unusedOptions());
        assertEquals(head + "optimizer (only solver gd uses a custom optimizer; momentum has its own steps)",
                FitOptions.builder().solver("momentum").optimizer(custom).build().unusedOptions());
        assertEquals(head + "learningRate 0.5 (solver normal solves directly); warmStart (solver normal solves directly)",
                FitOptions.builder().solver("normal").learningRate(0.5).warmStart(new double[] {1, 2, 3}, 0).build()
                        .unusedOptions());
    }
}
