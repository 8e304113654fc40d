package id.optikmelati.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;

/**
 * The run's answers in one table (Markdown), beside the raw lines: each measure for both servers as
 * the median over its rounds with the spread, the ratio, and the target it is read against; and the
 * fan-out's latency distributions as percentile plots (PNG), one per size.
 */
final class Report {

    private Report() {}

    private static final List<Map<String, ?>> LINES = new ArrayList<>();
    /** Merged fan-out latencies (µs) by size, then server. */
    private static final Map<Integer, Map<String, Histogram>> LATENCIES = new LinkedHashMap<>();

    static synchronized void add(Map<String, ?> line) {
        LINES.add(line);
    }

    static synchronized void fanoutLatency(int connections, String server, Histogram merged) {
        LATENCIES.computeIfAbsent(connections, n -> new LinkedHashMap<>()).put(server, merged);
    }

    /** Writes {@code <stem>.md} and {@code <stem>-latency-<streams>.png}; returns the table's path. */
    static synchronized Path write(Path dir, String stem, String command) throws IOException {
        StringBuilder md = new StringBuilder();
        Map<String, ?> machine = first(l -> l.get("scenario").equals("machine"));
        md.append("# Benchmark of ").append(machine == null ? "" : machine.get("date")).append("\n\n");
        md.append("Command: `").append(command).append("`  \n");
        if (machine != null) {
            md.append("Machine: ").append(machine.get("cores")).append(" cores; nodes on ").append(machine.get("node_java"))
                    .append(", client on JDK ").append(machine.get("client_java")).append("  \n");
        }
        md.append("Medians over the rounds, the spread (lowest-highest) in brackets; raw lines in the results file.\n\n");
        md.append("| measure | ours | Nchan | ours / Nchan | target |\n| --- | --- | --- | ---: | --- |\n");
        TreeSet<Integer> sizes = new TreeSet<>();
        LINES.stream().filter(l -> l.get("scenario").equals("fanout")).forEach(l -> sizes.add(((Number) l.get("connections")).intValue()));
        for (int n : sizes) {
            Predicate<Map<String, ?>> window = l -> l.get("scenario").equals("fanout") && ((Number) l.get("connections")).intValue() == n;
            List<Map<String, ?>> ours = all(window.and(l -> l.get("server").equals("ours")));
            List<Map<String, ?>> nchan = all(window.and(l -> l.get("server").equals("nchan")));
            String at = String.format(Locale.ROOT, "%,d streams, %s", n, rounds(Math.max(ours.size(), nchan.size())));
            row(md, "p99 ms, " + at, ours, nchan, "p99_ms", "ours ≤ Nchan");
            row(md, "p99.9 ms, " + at, ours, nchan, "p999_ms", "");
            List<Double> tail = new ArrayList<>();
            ours.forEach(l -> tail.add(num(l, "p999_ms") / num(l, "p99_ms")));
            md.append("| p99.9 / p99, ").append(at).append(" | ").append(spread(tail)).append(" | | | ours < 2 |\n");
            row(md, "deliveries per server CPU s, " + at, ours, nchan, "deliveries_per_server_cpu_s", "ours ≥ 1.3 × Nchan");
            row(md, "RSS per stream KiB (open, before the warm-up), " + at, ours, nchan, "rss_per_connection_kib", "");
            md.append("| deliveries lost, ").append(at).append(" | ").append(sum(ours, "lost")).append(" | ")
                    .append(sum(nchan, "lost")).append(" | | 0 |\n");
            md.append("| warm-up s before each window, ").append(at).append(" | ").append(spread(values(ours, "warmup_s")))
                    .append(" | ").append(spread(values(nchan, "warmup_s"))).append(" | | |\n");
        }
        Predicate<Map<String, ?>> memory = l -> l.get("scenario").equals("memory");
        if (first(memory) != null) {
            String at = String.format(Locale.ROOT, "RSS per idle stream KiB, %,d streams, one event each",
                    ((Number) first(memory).get("connections")).intValue());
            row(md, at, all(memory.and(l -> l.get("server").equals("ours"))), all(memory.and(l -> l.get("server").equals("nchan"))),
                    "rss_per_stream_kib", "ours ≤ 8");
        }
        Predicate<Map<String, ?>> wave = l -> l.get("scenario").equals("wave");
        if (first(wave) != null) {
            List<Map<String, ?>> ours = all(wave.and(l -> l.get("server").equals("ours")));
            List<Map<String, ?>> nchan = all(wave.and(l -> l.get("server").equals("nchan")));
            String at = String.format(Locale.ROOT, "wave of %,d reconnects, %s", ((Number) first(wave).get("connections")).intValue(),
                    rounds(Math.max(ours.size(), nchan.size())));
            row(md, "headers p50 ms, " + at, ours, nchan, "headers_p50_ms", "");
            row(md, "headers p99 ms, " + at, ours, nchan, "headers_p99_ms", "ours ≤ 2 × Nchan");
            row(md, "replay p99 ms, " + at, ours, nchan, "replay_p99_ms", "ours ≤ Nchan");
            row(md, "s until every screen caught up, " + at, ours, nchan, "seconds_until_all_caught_up", "");
            md.append("| missed events lost / twice, ").append(at).append(" | ")
                    .append(sum(ours, "missed_events_not_received")).append(" / ").append(sum(ours, "missed_events_received_twice"))
                    .append(" | ").append(sum(nchan, "missed_events_not_received")).append(" / ")
                    .append(sum(nchan, "missed_events_received_twice")).append(" | | 0 / 0 |\n");
            md.append("| gaps / duplicates by seq, ").append(at).append(" | ").append(sum(ours, "gaps")).append(" / ")
                    .append(sum(ours, "duplicates")).append(" | (no seq) | | 0 / 0 |\n");
        }
        for (Map<String, ?> step : all(l -> l.get("scenario").equals("maxrate-step"))) {
            md.append(String.format(Locale.ROOT, "| max-rate step, 5,000 streams at %s events/s: p99 ms, lost | ",
                    step.get("events_per_s")));
            md.append(step.get("server").equals("ours") ? cell(step) + " | | | p99 < 100, 0 lost |\n" : " | " + cell(step) + " | | p99 < 100, 0 lost |\n");
        }
        for (Map<String, ?> best : all(l -> l.get("scenario").equals("maxrate-summary"))) {
            md.append("| max-rate search: best events/s with p99 < 100 ms, 5,000 streams | ")
                    .append(best.get("server").equals("ours") ? best.get("best_events_per_s") + " | | | |\n"
                            : " | " + best.get("best_events_per_s") + " | | |\n");
        }
        List<String> plots = new ArrayList<>();
        for (var e : LATENCIES.entrySet()) {
            Path png = dir.resolve(stem + "-latency-" + e.getKey() + ".png");
            plot(png, e.getKey(), e.getValue());
            plots.add(png.getFileName().toString());
        }
        if (!plots.isEmpty()) {
            md.append("\nLatency distributions (all rounds merged): ").append(String.join(", ", plots)).append('\n');
        }
        Path table = dir.resolve(stem + ".md");
        Files.writeString(table, md);
        return table;
    }

    private static String cell(Map<String, ?> step) {
        return format(num(step, "p99_ms")) + ", " + format(num(step, "lost"))
                + (Boolean.TRUE.equals(step.get("passed")) ? " (passed)" : " (failed)");
    }

    private static String rounds(int n) {
        return n == 1 ? "1 round" : n + " rounds";
    }

    private static void row(StringBuilder md, String measure, List<Map<String, ?>> ours, List<Map<String, ?>> nchan,
            String field, String target) {
        List<Double> o = values(ours, field);
        List<Double> n = values(nchan, field);
        String ratio = o.isEmpty() || n.isEmpty() || median(n) == 0 ? "" : String.format(Locale.ROOT, "%.2f", median(o) / median(n));
        md.append("| ").append(measure).append(" | ").append(spread(o)).append(" | ").append(spread(n)).append(" | ")
                .append(ratio).append(" | ").append(target).append(" |\n");
    }

    private static List<Double> values(List<Map<String, ?>> lines, String field) {
        List<Double> v = new ArrayList<>();
        for (Map<String, ?> l : lines) {
            if (l.get(field) instanceof Number x) {
                v.add(x.doubleValue());
            }
        }
        return v;
    }

    private static String spread(List<Double> v) {
        if (v.isEmpty()) {
            return "";
        }
        String median = format(median(v));
        return v.size() == 1 ? median
                : median + " (" + format(v.stream().min(Double::compare).orElseThrow()) + "-"
                        + format(v.stream().max(Double::compare).orElseThrow()) + ")";
    }

    private static String format(double d) {
        return d >= 1000 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.3g", d);
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static long sum(List<Map<String, ?>> lines, String field) {
        return lines.stream().mapToLong(l -> l.get(field) instanceof Number x ? x.longValue() : 0).sum();
    }

    private static double num(Map<String, ?> line, String field) {
        return ((Number) line.get(field)).doubleValue();
    }

    private static Map<String, ?> first(Predicate<Map<String, ?>> which) {
        return LINES.stream().filter(which).findFirst().orElse(null);
    }

    private static List<Map<String, ?>> all(Predicate<Map<String, ?>> which) {
        return LINES.stream().filter(which).toList();
    }

    /**
     * A percentile plot as HdrHistogram's plotter draws one: latency against the percentile on a
     * scale of nines (90, 99, 99.9, 99.99 equally far apart), where a tail shows as a rise at the right.
     */
    static void plot(Path png, int connections, Map<String, Histogram> byServer) throws IOException {
        int w = 900;
        int h = 540;
        int left = 80;
        int right = 30;
        int top = 50;
        int bottom = 60;
        double maxNines = 4; // up to 99.99 %
        double maxMs = 0;
        for (Histogram hist : byServer.values()) {
            maxMs = Math.max(maxMs, hist.getValueAtPercentile(99.99) / 1000.0);
        }
        maxMs = niceCeiling(maxMs);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int plotW = w - left - right;
        int plotH = h - top - bottom;
        g.setColor(new Color(225, 225, 225));
        String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%"};
        for (int i = 0; i <= maxNines; i++) {
            int x = left + (int) (plotW * i / maxNines);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(x, top, x, top + plotH);
            g.setColor(Color.DARK_GRAY);
            g.drawString(labels[i], x - g.getFontMetrics().stringWidth(labels[i]) / 2, top + plotH + 20);
        }
        for (int i = 0; i <= 5; i++) {
            int y = top + plotH - plotH * i / 5;
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left, y, left + plotW, y);
            g.setColor(Color.DARK_GRAY);
            double tick = maxMs * i / 5;
            String label = tick == Math.rint(tick) ? String.format(Locale.ROOT, "%.0f", tick) : String.format(Locale.ROOT, "%.1f", tick);
            g.drawString(label, left - 10 - g.getFontMetrics().stringWidth(label), y + 5);
        }
        g.drawRect(left, top, plotW, plotH);
        g.drawString("percentile", left + plotW / 2 - 30, h - 15);
        g.drawString("ms", 20, top - 15);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(String.format(Locale.ROOT, "Publish-to-receive latency, %,d streams, all rounds merged", connections), left, 30);
        Color[] colors = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44)};
        int c = 0;
        g.setStroke(new BasicStroke(2f));
        for (var e : byServer.entrySet()) {
            g.setColor(colors[c % colors.length]);
            int px = -1;
            int py = -1;
            for (int step = 0; step <= 400; step++) {
                double nines = maxNines * step / 400;
                double percentile = 100 * (1 - Math.pow(10, -nines));
                double ms = e.getValue().getValueAtPercentile(percentile) / 1000.0;
                int x = left + (int) (plotW * nines / maxNines);
                int y = top + plotH - (int) Math.min(plotH, plotH * ms / maxMs);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            String legend = String.format(Locale.ROOT, "%s: p99 %.1f ms, p99.9 %.1f ms (%,d deliveries)", e.getKey(),
                    e.getValue().getValueAtPercentile(99) / 1000.0, e.getValue().getValueAtPercentile(99.9) / 1000.0,
                    e.getValue().getTotalCount());
            g.drawString(legend, left + 15, top + 22 + 20 * c);
            c++;
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
