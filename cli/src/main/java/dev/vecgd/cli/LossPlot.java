package dev.vecgd.cli;

import dev.vecgd.solver.FitResult;
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
import java.nio.file.Path;

/** {@code fit --plot}: the loss curve (log scale) of the fit's history as a PNG, with JFreeChart. */
final class LossPlot {

    private LossPlot() {
    }

    static void write(Path file, FitResult r, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeries loss = new XYSeries("loss J(θ)");
        int[] it = r.historyIterations();
        double[] j = r.historyLoss();
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (int k = 0; k < it.length; k++) {
            if (j[k] > 0 && Double.isFinite(j[k])) {
                loss.add(it[k], j[k]);
                min = Math.min(min, j[k]);
                max = Math.max(max, j[k]);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection(loss);
        NumberAxis x = new NumberAxis("iteration");
        x.setAutoRangeIncludesZero(true);
        XYPlot plot;
        if (loss.getItemCount() > 0) {
            LogAxis y = new LogAxis("loss (log scale)");
            y.setSmallestValue(Math.max(min / 2, Double.MIN_NORMAL));
            if (max / min >= 100) y.setTickUnit(new NumberTickUnit(Math.max(1, Math.ceil(Math.log10(max / min) / 12))));
            plot = new XYPlot(data, x, y, new XYLineAndShapeRenderer(true, false));
        } else { // nothing positive to draw on a log axis
            plot = new XYPlot(data, x, new NumberAxis("loss"), new XYLineAndShapeRenderer(true, false));
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 540);
    }
}
