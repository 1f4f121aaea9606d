package io.forkcast.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SVG text for the bench's charts, no library: grouped bars (one group per figure, one bar per series, a value
 * over each bar) and panels of lines sharing an x axis. A log scale when the values span more than 50 times,
 * as forkcast's and the C reference's often do. Stateless.
 */
final class Chart {
    private static final String[] COLOURS = {
        "#1f77b4", "#aec7e8", "#d62728", "#ff9896", "#2ca02c", "#98df8a", "#9467bd", "#c5b0d5", "#8c564b", "#ff7f0e"
    };
    private static final int WIDTH = 860;

    private Chart() {}

    /** A line of a panel: its name, x and y (NaN gaps are skipped), drawn dashed if asked. */
    @SuppressWarnings("ArrayRecordComponent") // built once per chart and only read: never compared or hashed
    record Series(String name, double[] x, double[] y, boolean dashed) {}

    /** One panel of {@link #panels}: a y axis label and its lines. */
    record Panel(String yLabel, List<Series> series) {}

    /** Grouped bars: {@code values[series][group]}, NaN for no bar. */
    static String bars(String title, String unit, List<String> groups, List<String> names, double[][] values) {
        int plotLeft = 70;
        int plotTop = 50;
        int plotWidth = WIDTH - plotLeft - 20;
        int plotHeight = 300;
        var scale = Scale.of(all(values), plotTop + plotHeight, plotHeight);
        var svg = new StringBuilder();
        open(svg, WIDTH, plotTop + plotHeight + 90, title);
        axis(svg, scale, plotLeft, plotWidth, unit);
        double groupWidth = plotWidth / (double) Math.max(1, groups.size());
        double barWidth = groupWidth * 0.8 / Math.max(1, names.size());
        for (int g = 0; g < groups.size(); g++) {
            double x0 = plotLeft + g * groupWidth + groupWidth * 0.1;
            for (int s = 0; s < names.size(); s++) {
                double v = values[s][g];
                if (Double.isNaN(v)) {
                    continue;
                }
                double y = scale.y(v);
                double x = x0 + s * barWidth;
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                        x,
                        y,
                        barWidth - 2,
                        Math.max(0.5, scale.bottom() - y),
                        COLOURS[colour(s, names.size())]));
                text(svg, x + barWidth / 2 - 1, y - 3, "middle", 10, Stats.fmt(v));
            }
            text(svg, x0 + groupWidth * 0.4, scale.bottom() + 16, "middle", 11, groups.get(g));
        }
        var colours = new int[names.size()];
        for (int s = 0; s < colours.length; s++) {
            colours[s] = colour(s, names.size());
        }
        legend(svg, plotLeft, scale.bottom() + 40, names, new boolean[names.size()], colours);
        return svg.append("</svg>\n").toString();
    }

    /** Panels stacked over one x axis, each with its own y scale and its own legend above it. */
    static String panels(String title, String xLabel, List<Panel> panels, List<String> xTicks) {
        int plotLeft = xTicks == null ? 80 : 120; // room for the first rotated tick label
        int plotWidth = WIDTH - plotLeft - 20;
        int panelHeight = 170;
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        for (var panel : panels) {
            for (var s : panel.series()) {
                for (double x : s.x()) {
                    xMin = Math.min(xMin, x);
                    xMax = Math.max(xMax, x);
                }
            }
        }
        if (xMax <= xMin) {
            xMax = xMin + 1;
        }
        int legendHeight = 46; // two rows of a panel's own legend above its plot
        int height = 40 + panels.size() * (legendHeight + panelHeight + 30) + 50 + (xTicks == null ? 0 : 80);
        var svg = new StringBuilder();
        open(svg, WIDTH, height, title);
        int top = 40 + legendHeight;
        for (var panel : panels) {
            var names = new ArrayList<String>();
            var dashed = new ArrayList<Boolean>();
            var ys = new ArrayList<Double>();
            panel.series().forEach(s -> {
                for (double y : s.y()) {
                    ys.add(y);
                }
            });
            var scale =
                    Scale.of(ys.stream().mapToDouble(Double::doubleValue).toArray(), top + panelHeight, panelHeight);
            axis(svg, scale, plotLeft, plotWidth, panel.yLabel());
            for (var s : panel.series()) {
                int colour = names.indexOf(s.name());
                if (colour < 0) {
                    names.add(s.name());
                    dashed.add(s.dashed());
                    colour = names.size() - 1;
                }
                var path = new StringBuilder();
                for (int i = 0; i < s.x().length; i++) {
                    if (Double.isNaN(s.y()[i]) || (scale.log() && s.y()[i] <= 0)) {
                        continue;
                    }
                    double px = plotLeft + (s.x()[i] - xMin) / (xMax - xMin) * plotWidth;
                    double py = scale.y(s.y()[i]);
                    path.append(path.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
                    svg.append(String.format(
                            Locale.ROOT,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>%n",
                            px,
                            py,
                            COLOURS[colour % COLOURS.length]));
                }
                svg.append("<path d=\"")
                        .append(path)
                        .append("\" fill=\"none\" stroke-width=\"1.5\" stroke=\"")
                        .append(COLOURS[colour % COLOURS.length])
                        .append(s.dashed() ? "\" stroke-dasharray=\"5 3" : "")
                        .append("\"/>\n");
            }
            var flags = new boolean[dashed.size()];
            for (int i = 0; i < flags.length; i++) {
                flags[i] = dashed.get(i);
            }
            legend(
                    svg,
                    plotLeft,
                    top - legendHeight + 18,
                    names,
                    flags,
                    java.util.stream.IntStream.range(0, names.size()).toArray());
            top += panelHeight + 30 + legendHeight;
        }
        int bottom = top - 30 - legendHeight;
        if (xTicks == null) {
            for (int i = 0; i <= 5; i++) {
                double x = xMin + (xMax - xMin) * i / 5;
                text(svg, plotLeft + plotWidth * i / 5.0, bottom + 16, "middle", 11, Stats.fmt(x));
            }
        } else {
            for (int i = 0; i < xTicks.size(); i++) {
                double px = plotLeft + (i - xMin) / (xMax - xMin) * plotWidth;
                svg.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-40 %.1f %d)\">"
                                + "%s</text>%n",
                        px,
                        bottom + 14,
                        px,
                        bottom + 14,
                        escape(xTicks.get(i))));
            }
            bottom += 80;
        }
        text(svg, plotLeft + plotWidth / 2.0, bottom + 32, "middle", 12, xLabel);
        return svg.append("</svg>\n").toString();
    }

    /** A y scale over [min, max] of the finite values: linear from 0, or by decades when they span > 50x. */
    private record Scale(double low, double high, boolean log, int bottom, int height) {
        static Scale of(double[] values, int bottom, int height) {
            double min = Double.MAX_VALUE;
            double max = 0;
            for (double v : values) {
                if (!Double.isNaN(v) && v > 0) {
                    min = Math.min(min, v);
                }
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
            if (max <= 0) {
                return new Scale(0, 1, false, bottom, height);
            }
            if (max / min > 50) {
                return new Scale(
                        Math.pow(10, Math.floor(Math.log10(min))),
                        Math.pow(10, Math.ceil(Math.log10(max * 1.5))),
                        true,
                        bottom,
                        height);
            }
            return new Scale(0, niceAbove(max * 1.1), false, bottom, height);
        }

        double y(double v) {
            double f = log ? (Math.log10(v) - Math.log10(low)) / (Math.log10(high) - Math.log10(low)) : v / high;
            return bottom - Math.max(0, Math.min(1, f)) * height;
        }

        List<Double> ticks() {
            var out = new ArrayList<Double>();
            if (log) {
                for (double t = low; t <= high * 1.0001; t *= 10) {
                    out.add(t);
                }
            } else {
                for (int i = 0; i <= 5; i++) {
                    out.add(high * i / 5);
                }
            }
            return out;
        }
    }

    private static double niceAbove(double v) {
        double decade = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * decade >= v) {
                return step * decade;
            }
        }
        return 10 * decade;
    }

    private static void axis(StringBuilder svg, Scale scale, int left, int width, String label) {
        for (double t : scale.ticks()) {
            double y = scale.y(t);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    left,
                    y,
                    left + width,
                    y));
            text(svg, left - 6, y + 4, "end", 10, Stats.fmt(t));
        }
        svg.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n",
                left,
                scale.bottom(),
                left + width,
                scale.bottom()));
        double mid = scale.bottom() - scale.height() / 2.0;
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"14\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">"
                        + "%s</text>%n",
                mid,
                mid,
                escape(label + (scale.log() ? " (log)" : ""))));
    }

    /** Two series (forkcast, C) take contrasting colours; four (p50 and p99 of each) take the light-dark pairs. */
    private static int colour(int series, int count) {
        return (count <= 2 ? series * 2 : series) % COLOURS.length;
    }

    private static void legend(
            StringBuilder svg, int left, int top, List<String> names, boolean[] dashed, int[] colours) {
        int x = left;
        int y = top;
        for (int i = 0; i < names.size(); i++) {
            int w = 30 + names.get(i).length() * 7;
            if (x + w > WIDTH - 10) {
                x = left;
                y += 18;
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"6\"%s/>%n",
                    x,
                    y - 4,
                    x + 18,
                    y - 4,
                    COLOURS[colours[i] % COLOURS.length],
                    dashed[i] ? " stroke-dasharray=\"5 3\"" : ""));
            text(svg, x + 22, y, "start", 11, names.get(i));
            x += w;
        }
    }

    private static void open(StringBuilder svg, int width, int height, String title) {
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
                width,
                height,
                width,
                height));
        text(svg, width / 2.0, 24, "middle", 14, title);
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, int size, String text) {
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\">%s</text>%n",
                x,
                y,
                size,
                anchor,
                escape(text)));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static double[] all(double[][] values) {
        return java.util.Arrays.stream(values)
                .flatMapToDouble(java.util.Arrays::stream)
                .toArray();
    }
}
