package dev.vecgd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vecgd.data.Dataset;
import dev.vecgd.kernel.Layout;
import dev.vecgd.model.LinearModel;
import dev.vecgd.solver.CrossValidation;
import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.FitResult;
import dev.vecgd.solver.LinearRegression;
import dev.vecgd.solver.RegularizationPath;
import dev.vecgd.solver.Solver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import dev.vecgd.cli.CliTest.Run;

import static dev.vecgd.cli.CliTest.ok;
import static dev.vecgd.cli.CliTest.run;
import static dev.vecgd.cli.CliTest.usageError;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 20 through the command line: {@code fit --l1}, {@code --weights}/{@code --weights-file} and
 * {@code --l1-path} (with {@code --cv} and {@code --plot}), each checked against the library called in the test on
 * the same numbers.
 */
class CliPathTest {

    @TempDir
    Path dir;

    /** A sparse problem: m rows, n features of different scales, y = 3 + 2·x0 − 1.5·x2 + 0.5·x4·… + noise. */
    record Problem(double[] x, double[] y, int m, int n) {
        static Problem sparse(int m, int n, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            double[] x = new double[m * n];
            double[] y = new double[m];
            for (int i = 0; i < m; i++) {
                double t = 3;
                for (int j = 0; j < n; j++) {
                    double v = r.nextGaussian() * (1 + j) + 0.5 * j;
                    x[i * n + j] = v;
                    double beta = j == 0 ? 2 : j == 2 ? -1.5 : j == 4 ? 0.1 : 0;
                    t += beta * v;
                }
                y[i] = t + r.nextGaussian() * 2;
            }
            return new Problem(x, y, m, n);
        }

        Dataset dataset() {
            return Dataset.rowMajor(x.clone(), m, n, y.clone());
        }

        /** The CSV: x1..xn[, extra column "w"], y; Double.toString round-trips every value. */
        String csv(double[] weightsColumn) {
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < n; j++) b.append("x").append(j + 1).append(',');
            if (weightsColumn != null) b.append("w,");
            b.append("y\n");
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) b.append(x[i * n + j]).append(',');
                if (weightsColumn != null) b.append(weightsColumn[i]).append(',');
                b.append(y[i]).append('\n');
            }
            return b.toString();
        }
    }

    /** The options the CLI builds from its defaults (fit --help), for the library reference. */
    private static FitOptions.Builder cliDefaults() {
        return FitOptions.builder().autoLearningRate().intercept(true).standardize(true).maxIterations(10000)
                .gradientTolerance(1e-10).l2(0).batchSize(0).seed(42).threads(0);
    }

    private Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static double[] array(JsonNode a) {
        double[] v = new double[a.size()];
        for (int k = 0; k < v.length; k++) v[k] = a.get(k).asDouble();
        return v;
    }

    private static void assertClose(double[] expected, double[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], rel * (1 + Math.abs(expected[j])), what + " " + j);
        }
    }

    @Test
    void l1FitEqualsTheLibraryFitAndIsSaved() throws Exception {
        Problem p = Problem.sparse(300, 6, 11);
        Path csv = write("l1.csv", p.csv(null));
        Path model = dir.resolve("l1-model.json");
        double lambda = 0.4;
        JsonNode j = ok("fit", "--data", csv, "--l1", lambda, "--json", "--output", model).json();
        FitResult ref = LinearRegression.fit(p.dataset(), cliDefaults().l1(lambda).build());
        assertTrue(ref.converged());
        assertEquals(Solver.NESTEROV, cliDefaults().l1(lambda).build().solver());
        assertEquals(ref.optimizer(), j.get("solver").asText(), "--l1 without --solver is FISTA, as in the library");
        assertClose(ref.coefficients(), array(j.get("coefficients")), 1e-12, "coefficient");
        assertEquals(ref.intercept(), j.get("intercept").asDouble(), 1e-12 * (1 + Math.abs(ref.intercept())));
        int zeros = 0;
        for (int k = 0; k < p.n(); k++) {
            assertEquals(ref.coefficient(k) == 0, j.get("coefficients").get(k).asDouble() == 0, "support " + k);
            if (ref.coefficient(k) == 0) zeros++;
        }
        assertTrue(zeros > 0 && zeros < p.n(), "λ₁ = " + lambda + " zeroes some coefficients, not all: " + zeros);
        assertEquals(lambda, j.get("l1").asDouble());
        assertEquals(lambda, LinearModel.load(model).options().orElseThrow().l1(), "the saved model records l1");

        // proximal gd when asked for, and the elastic net: the same as the library
        JsonNode g = ok("fit", "--data", csv, "--l1", lambda, "--l2", 0.2, "--solver", "gd", "--json").json();
        FitResult gref = LinearRegression.fit(p.dataset(), cliDefaults().l1(lambda).l2(0.2).solver(Solver.GD).build());
        assertEquals(gref.optimizer(), g.get("solver").asText());
        assertClose(gref.coefficients(), array(g.get("coefficients")), 1e-12, "elastic net gd coefficient");
    }

    @Test
    void weightsColumnAndFileEqualTheLibrarysWeightedFit() throws Exception {
        Problem p = Problem.sparse(250, 4, 5);
        SplittableRandom r = new SplittableRandom(3);
        double[] w = new double[p.m()];
        for (int i = 0; i < w.length; i++) w[i] = i % 17 == 0 ? 0 : r.nextDouble() * 3;
        Path csv = write("w.csv", p.csv(w));
        FitResult ref = LinearRegression.fit(p.dataset(), w, cliDefaults().build());
        assertTrue(ref.converged());
        for (Object col : new Object[] {"w", 4}) { // by name and by index
            JsonNode j = ok("fit", "--data", csv, "--weights", col, "--json").json();
            assertEquals("[\"x1\",\"x2\",\"x3\",\"x4\"]", j.get("features").toString(), "the weights are not a feature");
            assertTrue(j.get("weighted").asBoolean());
            assertClose(ref.coefficients(), array(j.get("coefficients")), 1e-12, "weighted coefficient (" + col + ")");
            assertEquals(ref.intercept(), j.get("intercept").asDouble(), 1e-12 * (1 + Math.abs(ref.intercept())));
            assertEquals(ref.r2(), j.get("r2").asDouble(), 1e-12);
        }
        // --weights-file: a .npy column next to a CSV without the weights column, and weights with --l1
        Path plain = write("plain.csv", p.csv(null));
        Path wnpy = npyColumn("w.npy", w);
        JsonNode f = ok("fit", "--data", plain, "--weights-file", wnpy, "--l1", 0.3, "--json").json();
        FitResult lref = LinearRegression.fit(p.dataset(), w, cliDefaults().l1(0.3).build());
        assertClose(lref.coefficients(), array(f.get("coefficients")), 1e-12, "weighted lasso coefficient");
    }

    /** An m × c row-major .npy table from rows of values. */
    private Path npyTable(String name, double[][] rows) throws Exception {
        int m = rows.length;
        int c = rows[0].length;
        byte[] h = NpyFiles.headerBytes(m, c, Layout.ROW_MAJOR);
        ByteBuffer b = ByteBuffer.allocate(h.length + 8 * m * c).order(ByteOrder.LITTLE_ENDIAN);
        b.put(h);
        for (double[] r : rows) for (double d : r) b.putDouble(d);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    @Test
    void weightedNpyDataStayMappedOffHeap() throws Exception {
        Problem p = Problem.sparse(300, 4, 9);
        SplittableRandom r = new SplittableRandom(4);
        double[] w = new double[p.m()];
        for (int i = 0; i < w.length; i++) w[i] = i % 11 == 0 ? 0 : 0.2 + r.nextDouble() * 2;
        FitResult ref = LinearRegression.fit(p.dataset(), w, cliDefaults().build());
        FitResult normal = LinearRegression.fit(p.dataset(), w, cliDefaults().solver("normal").build());
        // column orders: [x…, w, y] (weights second to last), [w, x…, y], [y, x…, w]: mapped; [x0, w, x1…, y]: heap
        String[] orders = {"xwy", "wxy", "yxw", "middle"};
        for (String order : orders) {
            double[][] rows = new double[p.m()][p.n() + 2];
            int wi;
            int ti;
            for (int i = 0; i < p.m(); i++) {
                double[] row = rows[i];
                double[] xi = Arrays.copyOfRange(p.x(), i * p.n(), (i + 1) * p.n());
                switch (order) {
                    case "xwy" -> { System.arraycopy(xi, 0, row, 0, p.n()); row[p.n()] = w[i]; row[p.n() + 1] = p.y()[i]; }
                    case "wxy" -> { row[0] = w[i]; System.arraycopy(xi, 0, row, 1, p.n()); row[p.n() + 1] = p.y()[i]; }
                    case "yxw" -> { row[0] = p.y()[i]; System.arraycopy(xi, 0, row, 1, p.n()); row[p.n() + 1] = w[i]; }
                    default -> {
                        row[0] = xi[0];
                        row[1] = w[i];
                        System.arraycopy(xi, 1, row, 2, p.n() - 1);
                        row[p.n() + 1] = p.y()[i];
                    }
                }
            }
            wi = switch (order) { case "xwy" -> p.n(); case "wxy" -> 0; case "yxw" -> p.n() + 1; default -> 1; };
            ti = order.equals("yxw") ? 0 : p.n() + 1;
            Path table = npyTable(order + ".npy", rows);
            Run text = ok("fit", "--data", table, "--weights", wi, "--target", ti);
            boolean mapped = !order.equals("middle");
            assertEquals(mapped, text.out().contains("(npy, mapped)"), order + ": " + text.out());
            JsonNode j = ok("fit", "--data", table, "--weights", wi, "--target", ti, "--json").json();
            assertTrue(j.get("weighted").asBoolean());
            // off-heap and heap weighted fits of the same rows agree bit for bit (the JSON round-trips doubles)
            assertClose(ref.coefficients(), array(j.get("coefficients")), 1e-14, order + " coefficient");
            assertEquals(ref.intercept(), j.get("intercept").asDouble(), 1e-14 * (1 + Math.abs(ref.intercept())), order);
            JsonNode n = ok("fit", "--data", table, "--weights", wi, "--target", ti, "--solver", "normal", "--json").json();
            assertClose(normal.coefficients(), array(n.get("coefficients")), 1e-12, order + " normal coefficient");
            assertClose(normal.standardErrors(), array(n.get("standardErrors")), 1e-12, order + " standard error");
        }
        // --weights-file: a mapped 1-D .npy next to a mapped table, and a .csv weights file next to it
        double[][] plain = new double[p.m()][p.n() + 1];
        for (int i = 0; i < p.m(); i++) {
            System.arraycopy(p.x(), i * p.n(), plain[i], 0, p.n());
            plain[i][p.n()] = p.y()[i];
        }
        Path table = npyTable("plain.npy", plain);
        Path wnpy = npyColumn("wfile.npy", w);
        StringBuilder wcsv = new StringBuilder("w\n");
        for (double v : w) wcsv.append(v).append('\n');
        Path wc = write("wfile.csv", wcsv.toString());
        for (Path wf : new Path[] {wnpy, wc}) {
            Run text = ok("fit", "--data", table, "--weights-file", wf);
            assertTrue(text.out().contains("(npy, mapped)"), text.out());
            JsonNode j = ok("fit", "--data", table, "--weights-file", wf, "--json").json();
            assertClose(ref.coefficients(), array(j.get("coefficients")), 1e-14, wf + " coefficient");
        }
        Path shortW = npyColumn("short.npy", new double[] {1, 2});
        usageError(run("fit", "--data", table, "--weights-file", shortW), "--weights-file", "2 rows", "300");
    }

    @Test
    void integerWeightsEqualRepeatedRowsThroughTheCli() throws Exception {
        Problem p = Problem.sparse(120, 3, 8);
        int[] count = new int[p.m()];
        StringBuilder wcsv = new StringBuilder("weight\n");
        StringBuilder rep = new StringBuilder("x1,x2,x3,y\n");
        for (int i = 0; i < p.m(); i++) {
            count[i] = (i * 7) % 4; // 0, 3, 2, 1, …: rows dropped, repeated
            wcsv.append(count[i]).append('\n');
            for (int c = 0; c < count[i]; c++) {
                for (int j = 0; j < p.n(); j++) rep.append(p.x()[i * p.n() + j]).append(',');
                rep.append(p.y()[i]).append('\n');
            }
        }
        Path data = write("base.csv", p.csv(null));
        Path weights = write("weights.csv", wcsv.toString());
        Path repeated = write("repeated.csv", rep.toString());
        for (String solver : new String[] {"normal", "gd"}) {
            double tol = solver.equals("normal") ? 1e-9 : 1e-7;
            JsonNode a = ok("fit", "--data", data, "--weights-file", weights, "--solver", solver, "--json").json();
            JsonNode b = ok("fit", "--data", repeated, "--solver", solver, "--json").json();
            assertClose(array(b.get("coefficients")), array(a.get("coefficients")), tol, solver + " coefficient");
            assertEquals(b.get("intercept").asDouble(), a.get("intercept").asDouble(), tol * (1 + Math.abs(b.get("intercept").asDouble())));
            assertEquals(b.get("r2").asDouble(), a.get("r2").asDouble(), tol);
            if (solver.equals("normal")) { // frequency weights: the statistics of the repeated rows
                assertEquals(b.get("residualStd").asDouble(), a.get("residualStd").asDouble(), 1e-9 * b.get("residualStd").asDouble());
                assertClose(array(b.get("standardErrors")), array(a.get("standardErrors")), 1e-8, "standard error");
            }
        }
    }

    @Test
    void pathTableAndJsonEqualTheLibraryPath() throws Exception {
        Problem p = Problem.sparse(200, 5, 21);
        Path csv = write("path.csv", p.csv(null));
        // the default grid, as a table
        Run t = ok("fit", "--data", csv, "--l1-path");
        RegularizationPath ref = LinearRegression.path(p.dataset(), cliDefaults().build());
        assertEquals(100, ref.size());
        List<String[]> rows = new ArrayList<>();
        for (String line : t.out().lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 5 && f[0].matches("\\d+")) rows.add(f);
        }
        assertEquals(ref.size(), rows.size(), t.out());
        for (int k = 0; k < ref.size(); k++) {
            String[] f = rows.get(k);
            assertEquals(k, Integer.parseInt(f[0]));
            assertEquals(ref.lambda(k), Double.parseDouble(f[1]), 1e-5 * ref.lambda(k), "λ " + k);
            assertEquals(ref.nonzeros(k), Integer.parseInt(f[2]), "nonzeros " + k);
            assertEquals(ref.trainingLoss(k), Double.parseDouble(f[3]), 1e-7 * ref.trainingLoss(k), "loss " + k);
            assertEquals(ref.passes(k), Long.parseLong(f[4]), "passes " + k);
        }
        assertEquals(0, ref.nonzeros(0), "λ_max zeroes every coefficient");
        assertEquals(p.n(), ref.nonzeros(ref.size() - 1));

        // given λ values with --json and 5-fold CV: the library's path and CrossValidation on the same folds
        double[] lambdas = {2, 1, 0.5, 0.2, 0.1, 0.01};
        JsonNode j = ok("fit", "--data", csv, "--l1-path", "--lambdas", "2,1,0.5,0.2,0.1,0.01", "--cv", 5, "--seed", 7,
                "--json").json();
        CrossValidation.Result cv = CrossValidation.path(p.dataset(), cliDefaults().seed(7).build(), lambdas, 5, 7);
        RegularizationPath cp = cv.path();
        assertEquals(cp.lambdaMax(), j.get("lambdaMax").asDouble(), 1e-12 * cp.lambdaMax());
        assertEquals(lambdas.length, j.get("path").size());
        for (int k = 0; k < lambdas.length; k++) {
            JsonNode row = j.get("path").get(k);
            assertEquals(lambdas[k], row.get("lambda").asDouble());
            assertEquals(cp.nonzeros(k), row.get("nonzeros").asInt());
            assertEquals(cp.passes(k), row.get("passes").asLong());
            assertClose(cp.coefficients(k), array(row.get("coefficients")), 1e-12, "path coefficient at k = " + k);
            assertEquals(cv.meanError()[k], row.get("cvError").asDouble(), 1e-12 * cv.meanError()[k]);
            assertEquals(cv.standardError()[k], row.get("cvStandardError").asDouble(), 1e-12 * (1 + cv.standardError()[k]));
        }
        assertEquals(cv.best(), j.get("cv").get("best").asInt());
        assertEquals(cv.bestLambda(), j.get("cv").get("bestLambda").asDouble());
        assertEquals(cv.oneStandardError(), j.get("cv").get("oneStandardError").asInt());
        // the text table marks the same choices
        Run tc = ok("fit", "--data", csv, "--l1-path", "--lambdas", "2,1,0.5,0.2,0.1,0.01", "--cv", 5, "--seed", 7);
        assertTrue(tc.out().contains(String.format(java.util.Locale.ROOT, "best λ₁ %.6g (k = %d", cv.bestLambda(), cv.best())),
                tc.out());
    }

    @Test
    void pathPlotIsAPng() throws Exception {
        Problem p = Problem.sparse(150, 4, 2);
        Path csv = write("plot.csv", p.csv(null));
        Path png = dir.resolve("path.png");
        Run r = ok("fit", "--data", csv, "--l1-path", "--plot", png);
        assertTrue(r.out().contains("path plot written to"), r.out());
        byte[] b = Files.readAllBytes(png);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, Arrays.copyOf(b, 8));
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(900, img.getWidth());
        assertEquals(540, img.getHeight());
    }

    @Test
    void badInputsExitTwoNamingTheProblem() throws Exception {
        Problem p = Problem.sparse(40, 2, 1);
        double[] w = new double[p.m()];
        Arrays.fill(w, 1);
        w[13] = -2;
        Path csv = write("bad.csv", p.csv(w));
        Path plain = write("plainbad.csv", p.csv(null));
        usageError(run("fit", "--data", plain, "--l1", -1), "--l1 must be finite and >= 0");
        usageError(run("fit", "--data", plain, "--l1", "NaN"), "--l1");
        usageError(run("fit", "--data", plain, "--l1", 0.5, "--solver", "cg"), "cg", "L1");
        usageError(run("fit", "--data", plain, "--l1", 0.5, "--batch-size", 8), "l1");
        usageError(run("fit", "--data", csv, "--weights", "w"), "--weights w", "row 13", "-2");
        usageError(run("fit", "--data", csv, "--weights", "nope"), "--weights 'nope'", "no such column");
        usageError(run("fit", "--data", csv, "--weights", "y"), "--weights y is the target column");
        usageError(run("fit", "--data", csv, "--weights", "w", "--l1-path"), "--l1-path", "not supported yet");
        Path shortW = write("short.csv", "w\n1\n2\n");
        usageError(run("fit", "--data", plain, "--weights-file", shortW), "--weights-file", "2 rows", "40");
        // weighted mini-batches (heap data): the library's weighted mini-batch fit
        Path ones = write("ones.csv", "w\n" + "1.5\n".repeat(p.m()));
        JsonNode mb = ok("fit", "--data", plain, "--weights-file", ones, "--batch-size", 10, "--json").json();
        assertTrue(mb.get("weighted").asBoolean());
        double[] w1 = new double[p.m()];
        Arrays.fill(w1, 1.5);
        FitResult mref = LinearRegression.fit(p.dataset(), w1, cliDefaults().batchSize(10).build());
        assertClose(mref.coefficients(), array(mb.get("coefficients")), 1e-12, "weighted mini-batch coefficient");
        Path zeros = write("zeros.csv", "w\n" + "0\n".repeat(p.m()));
        usageError(run("fit", "--data", plain, "--weights-file", zeros), "every sample weight is 0");
        usageError(run("fit", "--data", csv, "--weights", "w", "--weights-file", shortW), "either --weights or --weights-file");
        // a raw file too large for the heap (sparse: no disk used) is memory-mapped with weights too: the weights file
        // is checked against its rows
        Path huge = dir.resolve("huge.f64");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(8L * (1L << 28) * 9);
        }
        usageError(run("fit", "--data", huge, "--rows", 1L << 28, "--cols", 9, "--weights-file", shortW),
                "--weights-file", "2 rows", "268435456");
        Files.delete(huge);
        usageError(run("fit", "--data", plain, "--l1-path", "--lambdas", "1,x"), "--lambdas", "'x'");
        usageError(run("fit", "--data", plain, "--l1-path", "--lambdas", "1,-2"), "--lambdas value 2", "-2");
        usageError(run("fit", "--data", plain, "--l1-path", "--cv", 1), "--cv must be >= 2");
        usageError(run("fit", "--data", plain, "--l1-path", "--cv", 41), "--cv 41", "40 rows");
        usageError(run("fit", "--data", plain, "--cv", 5), "--lambdas and --cv need --l1-path");
        usageError(run("fit", "--data", plain, "--l1-path", "--batch-size", 8), "--l1-path", "--batch-size 8");
        usageError(run("fit", "--data", plain, "--l1-path", "--l1", 0.1), "--l1 and --l1-path");
        usageError(run("fit", "--data", plain, "--l1-path", "--solver", "normal"), "normal");
        usageError(run("fit", "--data", plain, "--l1-path", "--output", dir.resolve("m.json")), "--output", "--l1-path");
    }

    /** A one-column .npy file (little-endian float64). */
    private Path npyColumn(String name, double[] v) throws Exception {
        byte[] h = NpyFiles.headerBytes(v.length, 1, Layout.ROW_MAJOR);
        ByteBuffer b = ByteBuffer.allocate(h.length + 8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(h);
        for (double d : v) b.putDouble(d);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }
}
