package io.sysfleet.report;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Benchmark charts: a PNG of wall time against fleet size, one line per tool (bare ssh loop, sysfleet,
 * ansible-playbook), drawn headless with XChart. For the benchmark harness:
 *
 * <pre>java -cp target/sysfleet.jar io.sysfleet.report.Charts [--title TEXT] [--scenario NAME] in.csv out.png</pre>
 *
 * <p>The CSV is UTF-8 with a header line; columns are found by name, in any order, and others are ignored:
 * <ul>
 *   <li>{@code tool}: the series (e.g. {@code ssh-loop}, {@code sysfleet}, {@code ansible-playbook});</li>
 *   <li>{@code hosts}: the fleet size, a positive integer (x axis);</li>
 *   <li>{@code median_wall_s}: median wall-clock seconds, a non-negative number (y axis);</li>
 *   <li>{@code scenario} (optional): with several scenarios in one file, {@code --scenario} picks one.</li>
 * </ul>
 * Blank lines and lines starting with {@code #} are skipped. A tool measured twice at one fleet size is an error.
 * Errors name {@code file:line} (exit 4); bad arguments exit 5; a file that cannot be written exits 1.
 *
 * <p>This class is the only user of the charting library, and nothing on the path of {@code sysfleet run}
 * refers to it, so the library's classes (and AWT) are loaded only when a chart is drawn.
 */
public final class Charts {
    /** Picture size in pixels. */
    static final int WIDTH = 900;
    static final int HEIGHT = 540;
    /** Colours of the known tools; other tools take {@link #OTHER} in turn. */
    static final Map<String, Color> TOOL_COLOURS = Map.of(
            "ssh-loop", new Color(0x6e, 0x77, 0x81),
            "sysfleet", new Color(0x09, 0x69, 0xda),
            "ansible-playbook", new Color(0xcf, 0x22, 0x2e));
    static final List<Color> OTHER = List.of(new Color(0x1a, 0x7f, 0x37), new Color(0x82, 0x50, 0xdf),
            new Color(0xb3, 0x59, 0x00));

    private Charts() {
    }

    /** One measurement: a tool's median wall time at a fleet size. */
    public record Point(String tool, int hosts, double seconds) {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    /** The command line; returns the exit code. */
    static int run(String[] args, java.io.PrintStream err) {
        String title = "Wall time by fleet size";
        String scenario = null;
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--title", "--scenario" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, args[i] + " needs a value");
                    }
                    if (args[i].equals("--title")) {
                        title = args[++i];
                    } else {
                        scenario = args[++i];
                    }
                }
                case "-h", "--help" -> {
                    err.println(USAGE);
                    return 0;
                }
                default -> {
                    if (args[i].startsWith("-") && !args[i].equals("-")) {
                        return usage(err, "unknown option " + args[i]);
                    }
                    files.add(args[i]);
                }
            }
        }
        if (files.size() != 2) {
            return usage(err, "expected an input CSV and an output PNG");
        }
        try {
            List<Point> points = read(Path.of(files.get(0)), scenario);
            write(points, title, Path.of(files.get(1)));
            return 0;
        } catch (SysfleetException e) {
            err.println("charts: " + e.getMessage());
            return e.exitCode().code();
        }
    }

    private static final String USAGE =
            "usage: java -cp sysfleet.jar io.sysfleet.report.Charts [--title TEXT] [--scenario NAME] in.csv out.png";

    private static int usage(java.io.PrintStream err, String why) {
        err.println("charts: " + why);
        err.println(USAGE);
        return ExitCode.USAGE.code();
    }

    /** The measurements of {@code csv} (of one scenario when it has a scenario column). */
    public static List<Point> read(Path csv, String scenario) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SysfleetException(ExitCode.CONFIG, "cannot read " + csv + ": " + e.getMessage());
        }
        return parse(csv.toString(), lines, scenario);
    }

    /** Parses CSV lines; {@code name} is used in error messages. */
    static List<Point> parse(String name, List<String> lines, String scenario) {
        int header = -1;
        for (int i = 0; i < lines.size() && header < 0; i++) {
            if (!skip(lines.get(i))) {
                header = i;
            }
        }
        if (header < 0) {
            throw new SysfleetException(ExitCode.CONFIG, name + ": empty: expected a header line tool,hosts,median_wall_s");
        }
        List<String> cols = Arrays.stream(lines.get(header).split(",", -1)).map(s -> s.strip().toLowerCase(Locale.ROOT))
                .toList();
        int tool = column(name, header, cols, "tool");
        int hosts = column(name, header, cols, "hosts");
        int wall = column(name, header, cols, "median_wall_s");
        int scen = cols.indexOf("scenario");
        if (scenario != null && scen < 0) {
            throw new SysfleetException(ExitCode.CONFIG, name + ":" + (header + 1) + ": --scenario " + scenario
                    + " given, but the file has no scenario column");
        }
        List<Point> points = new ArrayList<>();
        Set<String> scenarios = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = header + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (skip(line)) {
                continue;
            }
            String where = name + ":" + (i + 1) + ": ";
            String[] f = line.split(",", -1);
            if (f.length != cols.size()) {
                throw new SysfleetException(ExitCode.CONFIG, where + "expected " + cols.size() + " fields, got "
                        + f.length);
            }
            if (scen >= 0) {
                scenarios.add(f[scen].strip());
                if (scenario != null && !scenario.equals(f[scen].strip())) {
                    continue;
                }
            }
            String t = f[tool].strip();
            if (t.isEmpty()) {
                throw new SysfleetException(ExitCode.CONFIG, where + "empty tool");
            }
            int n;
            double s;
            try {
                n = Integer.parseInt(f[hosts].strip());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1) {
                throw new SysfleetException(ExitCode.CONFIG, where + "hosts must be a positive integer, got '"
                        + f[hosts].strip() + "'");
            }
            try {
                s = Double.parseDouble(f[wall].strip());
            } catch (NumberFormatException e) {
                s = -1;
            }
            if (!(s >= 0) || Double.isInfinite(s)) {
                throw new SysfleetException(ExitCode.CONFIG, where + "median_wall_s must be a number of seconds, got '"
                        + f[wall].strip() + "'");
            }
            String key = (scen >= 0 ? f[scen].strip() : "") + "\u0000" + t + "\u0000" + n;
            if (!seen.add(key)) {
                throw new SysfleetException(ExitCode.CONFIG, where + t + " at " + n + " hosts is already measured");
            }
            points.add(new Point(t, n, s));
        }
        if (scenario == null && scenarios.size() > 1) {
            throw new SysfleetException(ExitCode.CONFIG, name + ": several scenarios " + scenarios
                    + ": pick one with --scenario");
        }
        if (points.isEmpty()) {
            throw new SysfleetException(ExitCode.CONFIG, name + ": no measurements"
                    + (scenario == null ? "" : " for scenario " + scenario));
        }
        return points;
    }

    private static boolean skip(String line) {
        String t = line.strip();
        return t.isEmpty() || t.startsWith("#");
    }

    private static int column(String name, int header, List<String> cols, String col) {
        int i = cols.indexOf(col);
        if (i < 0) {
            throw new SysfleetException(ExitCode.CONFIG, name + ":" + (header + 1) + ": no column '" + col
                    + "' in the header (need tool,hosts,median_wall_s)");
        }
        return i;
    }

    /** The chart of {@code points}: one line per tool in order of first appearance, points by fleet size. */
    static XYChart chart(List<Point> points, String title) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("hosts").yAxisTitle("median wall time (s)").build();
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.InsideNW);
        s.setMarkerSize(9);
        s.setAntiAlias(true);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xd0, 0xd7, 0xde));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        Map<String, List<Point>> byTool = new LinkedHashMap<>();
        points.forEach(p -> byTool.computeIfAbsent(p.tool(), k -> new ArrayList<>()).add(p));
        int other = 0;
        for (Map.Entry<String, List<Point>> e : byTool.entrySet()) {
            List<Point> ps = e.getValue().stream().sorted(Comparator.comparingInt(Point::hosts)).toList();
            XYSeries series = chart.addSeries(e.getKey(), ps.stream().mapToDouble(Point::hosts).toArray(),
                    ps.stream().mapToDouble(Point::seconds).toArray());
            Color c = colour(e.getKey(), other);
            if (!TOOL_COLOURS.containsKey(e.getKey())) {
                other++;
            }
            series.setLineColor(c);
            series.setMarkerColor(c);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setLineStyle(new BasicStroke(3f));
        }
        return chart;
    }

    static Color colour(String tool, int otherIndex) {
        Color known = TOOL_COLOURS.get(tool);
        return known != null ? known : OTHER.get(otherIndex % OTHER.size());
    }

    /** Draws the chart as a PNG to {@code png}, atomically (exit 1 when it cannot be written). */
    public static void write(List<Point> points, String title, Path png) {
        System.setProperty("java.awt.headless", "true");
        byte[] bytes;
        try {
            bytes = BitmapEncoder.getBitmapBytes(chart(points, title), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new SysfleetException(ExitCode.ERROR, "cannot draw the chart: " + e.getMessage());
        }
        ReportFiles.writeAtomically(png, bytes, "chart");
    }
}
