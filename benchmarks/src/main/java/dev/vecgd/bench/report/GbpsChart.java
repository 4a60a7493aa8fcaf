package dev.vecgd.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.text.DecimalFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

/**
 * The chart of the report: GB/s (8·(m·n + m) bytes per gradient) against the shape, one bar per
 * series (the plain loops, {@code simd} at each kernel width, the best read probe), one panel per layout, with the JMH error as error bars, on a
 * log scale.
 */
final class GbpsChart {

    /** By series: naive, scalarFused, then simd at up to three widths (dark to light orange), then the best probe. */
    private static final Color[] COLORS = {
        new Color(0xB0, 0xB0, 0xB0), // naive
        new Color(0x5B, 0x8F, 0xC9), // scalarFused
        new Color(0xD9, 0x5F, 0x0E), // simd, widest
        new Color(0xF0, 0x8A, 0x3C), // simd, next width
        new Color(0xF9, 0xC0, 0x8A), // simd, narrowest
        new Color(0x2C, 0x2C, 0x2C), // best probe
    };

    private GbpsChart() {
    }

    static void write(Path png, List<Result> gradient, List<String> shapes, List<String> layouts,
                      List<String> methods, String subtitle) throws IOException {
        CategoryAxis shapeAxis = new CategoryAxis("shape m×n (size of X and y grows to the right)");
        CombinedDomainCategoryPlot combined = new CombinedDomainCategoryPlot(shapeAxis);
        combined.setGap(14);
        org.jfree.chart.LegendItemCollection legend = null;
        for (String layout : layouts) {
            DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
            for (String method : methods) {
                for (String shape : shapes) {
                    Result r = find(gradient, method, shape, layout);
                    if (r == null) {
                        data.add((Number) null, null, method, shape);
                    } else {
                        double gbps = r.gbPerSecond();
                        double err = Double.isFinite(r.relativeError()) ? gbps * r.relativeError() : 0.0;
                        data.add(gbps, err, method, shape);
                    }
                }
            }
            // Log scale: from L1 to DRAM the bandwidth spans two decades, and ratios are what matter.
            LogAxis gbAxis = new LogAxis(layout + "-major: GB/s (log scale)");
            gbAxis.setBase(10);
            gbAxis.setSmallestValue(0.1);
            gbAxis.setTickUnit(new NumberTickUnit(1.0)); // one labelled tick per decade: 0.1, 1, 10, 100
            gbAxis.setMinorTickCount(9);
            gbAxis.setMinorTickMarksVisible(true);
            gbAxis.setNumberFormatOverride(new DecimalFormat("0.###"));
            StatisticalBarRenderer renderer = new StatisticalBarRenderer();
            renderer.setErrorIndicatorPaint(Color.BLACK);
            renderer.setErrorIndicatorStroke(new BasicStroke(1.0f));
            renderer.setDrawBarOutline(false);
            renderer.setShadowVisible(false);
            renderer.setItemMargin(0.04);
            int simdSeen = 0;
            for (int s = 0; s < methods.size(); s++) {
                String m = methods.get(s);
                Color c = m.equals("naive") ? COLORS[0] : m.equals("scalarFused") ? COLORS[1]
                        : m.startsWith("simd") ? COLORS[2 + Math.min(2, simdSeen++)] : COLORS[5];
                renderer.setSeriesPaint(s, c);
            }
            CategoryPlot plot = new CategoryPlot(data, null, gbAxis, renderer);
            plot.setBackgroundPaint(Color.WHITE);
            plot.setRangeGridlinePaint(new Color(0xD0, 0xD0, 0xD0));
            combined.add(plot, 1);
            if (legend == null) legend = plot.getLegendItems();
        }
        combined.setFixedLegendItems(legend); // one legend entry per method, not per panel
        JFreeChart chart = new JFreeChart("vecgd: one least-squares gradient, effective bandwidth",
                new Font(Font.SANS_SERIF, Font.BOLD, 18), combined, true);
        chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        chart.setBackgroundPaint(Color.WHITE);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1200, 400 + 300 * layouts.size());
    }

    private static Result find(List<Result> rs, String method, String shape, String layout) {
        for (Result r : rs) {
            if (r.method().equals(method) && r.shape().equals(shape) && r.layout().equals(layout)) return r;
        }
        return null;
    }
}
