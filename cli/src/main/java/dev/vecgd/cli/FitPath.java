package dev.vecgd.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vecgd.data.Dataset;
import dev.vecgd.solver.CrossValidation;
import dev.vecgd.solver.FitOptions;
import dev.vecgd.solver.LinearRegression;
import dev.vecgd.solver.RegularizationPath;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code fit --l1-path}: the lasso / elastic-net path ({@link LinearRegression#path(Dataset, FitOptions, double[])}),
 * optionally cross-validated ({@link CrossValidation#path}), as a table, as JSON, and as a plot of the coefficients
 * against λ₁.
 */
final class FitPath {

    private FitPath() {
    }

    static int run(FitCommand c, Dataset d, FitData.Loaded loaded, FitOptions.Builder b, double[] lambdas, PrintStream out)
            throws UsageException, IOException {
        FitOptions o = b.build();
        RegularizationPath path;
        CrossValidation.Result cv = null;
        long t0 = System.nanoTime();
        try {
            if (c.cv != null) {
                if (c.cv > d.rows()) throw new UsageException("--cv " + c.cv + ": more folds than the " + d.rows() + " rows");
                cv = CrossValidation.path(d, o, lambdas, c.cv, c.seed);
                path = cv.path();
            } else {
                path = LinearRegression.path(d, o, lambdas);
            }
        } catch (IllegalArgumentException e) { // non-finite data (row and column), bad λ, solver without an L1 step
            throw new UsageException(c.data + ": " + e.getMessage());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<String> features = loaded.features();
        if (c.json) {
            out.println(ModelJson.toJson(json(path, cv, features, seconds), false));
        } else {
            table(out, path, cv, c, d, loaded, seconds);
        }
        if (c.plot != null) {
            plot(c.plot, path, features, c.standardize ? scales(d) : null,
                    "vecgd fit --l1-path: " + c.data.getFileName() + (c.l2 > 0 ? " (l2 " + c.l2 + ")" : ""));
            if (!c.json) out.println("path plot written to " + c.plot);
        }
        out.flush();
        return 0;
    }

    private static void table(PrintStream out, RegularizationPath p, CrossValidation.Result cv, FitCommand c, Dataset d,
                              FitData.Loaded loaded, double seconds) {
        out.printf(Locale.ROOT, "vecgd fit --l1-path: %s (%s), %,d rows × %d features, target %s%n", c.data, loaded.format(),
                d.rows(), d.cols(), loaded.target());
        out.printf(Locale.ROOT, "λ_max %.6g, %d values of λ₁, l2 %s, standardize %s; the path on all rows: %d passes over X;"
                        + " %.3f s%s%n", p.lambdaMax(), p.size(), c.l2, c.standardize ? "on" : "off", p.passes(), seconds,
                cv != null ? " with " + c.cv + "-fold cross-validation (seed " + c.seed + ")" : "");
        out.println();
        String head = String.format(Locale.ROOT, "%4s %14s %9s %16s %8s", "k", "lambda", "nonzeros", "training loss", "passes");
        if (cv != null) head += String.format(Locale.ROOT, " %16s %14s", "CV MSE", "CV std error");
        out.println(head);
        double[] mean = cv == null ? null : cv.meanError();
        double[] se = cv == null ? null : cv.standardError();
        for (int k = 0; k < p.size(); k++) {
            String row = String.format(Locale.ROOT, "%4d %14.6g %9d %16.8g %8d", k, p.lambda(k), p.nonzeros(k),
                    p.trainingLoss(k), p.passes(k));
            if (cv != null) {
                row += String.format(Locale.ROOT, " %16.8g %14.6g", mean[k], se[k]);
                if (k == cv.best()) row += "  best";
                if (k == cv.oneStandardError()) row += "  1se";
            }
            if (!p.fits().get(k).converged()) row += "  (" + p.fits().get(k).stopReason() + ")";
            out.println(row);
        }
        if (cv != null) {
            out.println();
            out.printf(Locale.ROOT, "best λ₁ %.6g (k = %d, CV MSE %.8g); one-standard-error λ₁ %.6g (k = %d, %d nonzeros)%n",
                    cv.bestLambda(), cv.best(), mean[cv.best()], p.lambda(cv.oneStandardError()), cv.oneStandardError(),
                    p.nonzeros(cv.oneStandardError()));
            if (!cv.foldsConverged()) out.println("warning: not every fit of every fold converged (raise --max-iter)");
        }
        if (!p.allConverged()) out.println("warning: not every fit of the path converged (raise --max-iter)");
    }

    /**
     * The JSON of a path: lambdaMax, passes, seconds, features, path (one object per λ₁: lambda, nonzeros,
     * trainingLoss Σr²/(2m), passes, converged, intercept, coefficients, and with --cv cvError — the held-out mean
     * squared error averaged over the folds — and cvStandardError), cv (null without --cv).
     */
    static ObjectNode json(RegularizationPath p, CrossValidation.Result cv, List<String> features, double seconds) {
        ObjectNode o = ModelJson.MAPPER.createObjectNode();
        ModelJson.number(o, "lambdaMax", p.lambdaMax());
        o.put("passes", p.passes());
        ModelJson.number(o, "seconds", seconds);
        ArrayNode f = o.putArray("features");
        features.forEach(f::add);
        ArrayNode rows = o.putArray("path");
        double[] mean = cv == null ? null : cv.meanError();
        double[] se = cv == null ? null : cv.standardError();
        for (int k = 0; k < p.size(); k++) {
            ObjectNode r = rows.addObject();
            r.put("lambda", p.lambda(k));
            r.put("nonzeros", p.nonzeros(k));
            ModelJson.number(r, "trainingLoss", p.trainingLoss(k));
            r.put("passes", p.passes(k));
            r.put("converged", p.fits().get(k).converged());
            ModelJson.number(r, "intercept", p.intercept(k));
            ArrayNode coef = r.putArray("coefficients");
            for (double v : p.coefficients(k)) {
                if (Double.isFinite(v)) coef.add(v);
                else coef.addNull();
            }
            if (cv != null) {
                ModelJson.number(r, "cvError", mean[k]);
                ModelJson.number(r, "cvStandardError", se[k]);
            }
        }
        if (cv == null) {
            o.putNull("cv");
        } else {
            ObjectNode c = o.putObject("cv");
            c.put("best", cv.best());
            c.put("bestLambda", cv.bestLambda());
            c.put("oneStandardError", cv.oneStandardError());
            c.put("oneStandardErrorLambda", p.lambda(cv.oneStandardError()));
            c.put("foldsConverged", cv.foldsConverged());
        }
        return o;
    }

    /** The population standard deviation of every column (the scale of the standardized coefficients β_j·σ_j). */
    static double[] scales(Dataset d) {
        int m = d.rows();
        int n = d.cols();
        double[] s = new double[n];
        for (int j = 0; j < n; j++) {
            double mean = 0;
            for (int i = 0; i < m; i++) mean += d.x().get(i, j);
            mean /= m;
            double q = 0;
            for (int i = 0; i < m; i++) {
                double e = d.x().get(i, j) - mean;
                q += e * e;
            }
            s[j] = Math.sqrt(q / m);
        }
        return s;
    }

    /**
     * Draws every coefficient against λ₁ (log axis, decreasing to the right as glmnet does) as a PNG; λ₁ = 0 is left
     * out (no place on a log axis). With {@code scale}, the coefficients are multiplied by it (β_j·σ_j).
     */
    static void plot(Path file, RegularizationPath p, List<String> features, double[] scale, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (int j = 0; j < features.size(); j++) {
            XYSeries s = new XYSeries(features.get(j), false, true);
            for (int k = 0; k < p.size(); k++) {
                double lambda = p.lambda(k);
                double v = p.coefficients(k)[j] * (scale == null ? 1 : scale[j]);
                if (lambda > 0 && Double.isFinite(v)) {
                    s.add(lambda, v);
                    min = Math.min(min, lambda);
                    max = Math.max(max, lambda);
                }
            }
            data.addSeries(s);
        }
        XYPlot plot;
        String yLabel = scale == null ? "coefficient" : "standardized coefficient β·σ";
        if (max > 0) {
            LogAxis x = new LogAxis("λ₁ (log scale)");
            x.setSmallestValue(min / 2);
            x.setInverted(true);
            if (max > min) x.setRange(min, max);
            if (max / min >= 100) x.setTickUnit(new NumberTickUnit(Math.max(1, Math.ceil(Math.log10(max / min) / 12))));
            plot = new XYPlot(data, x, new NumberAxis(yLabel), new XYLineAndShapeRenderer(true, false));
        } else { // only λ₁ = 0
            plot = new XYPlot(data, new NumberAxis("λ₁"), new NumberAxis(yLabel), new XYLineAndShapeRenderer(true, false));
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, features.size() <= 20);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 540);
    }
}
