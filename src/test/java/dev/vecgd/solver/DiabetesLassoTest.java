package dev.vecgd.solver;

import dev.vecgd.data.Dataset;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The lasso path on the diabetes data of Efron et al. (2004), shipped as test data (src/test/resources/diabetes):
 * every fit against the coordinate-descent reference (same support, coefficients to 1e-6), and the published
 * behaviour: the order in which the first variables enter the lasso path — BMI, S5 (ltg), BP (map), S3 (hdl) — of
 * the paper's Figure 1 / Table 1 (the same in glmnet and scikit-learn's lasso_path).
 */
class DiabetesLassoTest {

    static double[][][] load() throws Exception {
        String text;
        try (InputStream in = DiabetesLassoTest.class.getResourceAsStream("/diabetes/diabetes.tab.txt")) {
            assertNotNull(in);
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        String[] lines = text.strip().split("\n");
        assertEquals("AGE\tSEX\tBMI\tBP\tS1\tS2\tS3\tS4\tS5\tS6\tY", lines[0]);
        List<double[]> rows = new ArrayList<>();
        for (int l = 1; l < lines.length; l++) {
            String[] f = lines[l].split("\t");
            double[] r = new double[f.length];
            for (int j = 0; j < f.length; j++) r[j] = Double.parseDouble(f[j]);
            rows.add(r);
        }
        assertEquals(442, rows.size());
        double[][] x = new double[442][10];
        double[] y = new double[442];
        for (int i = 0; i < 442; i++) {
            System.arraycopy(rows.get(i), 0, x[i], 0, 10);
            y[i] = rows.get(i)[10];
        }
        return new double[][][] {x, {y}};
    }

    @Test
    void lassoPathMatchesCoordinateDescentAndThePublishedOrderOfEntry() throws Exception {
        double[][][] d = load();
        double[][] x = d[0];
        double[] y = d[1][0];
        double lmax = LassoReference.lambdaMax(x, y, true);
        double[] grid = RegularizationPath.logGrid(lmax, 60, 1e-3);
        RegularizationPath path = LinearRegression.path(Dataset.of(x, y), ElasticNetTest.tight().build(), grid);
        assertTrue(path.allConverged());
        for (int k = 3; k < grid.length; k += 6) { // not λ_max itself: there the winner is 0 up to rounding
            double[] want = LassoReference.fit(x, y, true, true, grid[k], 0);
            ElasticNetTest.assertMatches(want, path.fits().get(k), "diabetes λ number " + k);
        }
        // the order of entry along the path (first λ at which each coefficient becomes nonzero)
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < path.size(); k++) {
            double[] c = path.coefficients(k);
            for (int j = 0; j < c.length; j++) if (c[j] != 0 && !order.contains(j)) order.add(j);
        }
        assertEquals(List.of(2, 8, 3, 6), order.subList(0, 4), "BMI, S5, BP, S3 enter first; order " + order);
        assertEquals(10, path.nonzeros(grid.length - 1), "near least squares every variable is in");
    }
}
