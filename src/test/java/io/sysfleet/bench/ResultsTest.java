package io.sysfleet.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Medians, ratios to the floor, failed cells, and the CSV the chart command reads. */
class ResultsTest {
    private static Results.Sample sample(int hosts, int rep, Results.Scenario sc, double wall, double cpu,
                                         boolean ok) {
        return new Results.Sample(hosts, rep, sc, new Meter.Usage(wall, cpu * 0.75, cpu * 0.25, 50_000, 60_000, 0),
                new BenchHosts.Cpu(wall, wall / 2, 0.1), 1.5, ok, ok ? "" : "1 problem(s): deb12-a: not converged");
    }

    @Test
    void medianOfOddAndEvenCountsAndNaNForNone() {
        assertEquals(2.0, Results.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Results.median(new double[] {4, 1, 2, 3}));
        assertTrue(Double.isNaN(Results.median(new double[0])));
        assertTrue(Double.isNaN(Results.median(new double[] {1, Double.NaN})));
    }

    @Test
    void tableShowsRatiosToTheFloorOfTheSameSize() {
        Results r = new Results();
        for (int rep = 1; rep <= 3; rep++) {
            r.add(sample(10, rep, Results.Scenario.FLOOR, 2.0 + rep * 0.1, 1.0, true)); // median 2.2
            r.add(sample(10, rep, Results.Scenario.RUN, 3.3, 2.0, true));
            r.add(sample(10, rep, Results.Scenario.ANSIBLE, 22.0, 10.0, true));
            r.add(sample(50, rep, Results.Scenario.FLOOR, 4.0, 1.0, true));
            r.add(sample(50, rep, Results.Scenario.RUN, 2.0, 1.0, true));
        }
        String md = r.markdown("heading");
        assertTrue(md.contains("| 10 | 1.0 | 1.50x | - | - | - | 10x | 1.5 |"), md);
        assertTrue(md.contains("| 50 | 1.0 | 0.50x | - | - | - | - | 1.5 |"), md);
        assertFalse(r.anyFailed());
    }

    @Test
    void oneRepetitionThatDidNotConvergeMakesTheCellFailedNotFast() {
        Results r = new Results();
        r.add(sample(10, 1, Results.Scenario.FLOOR, 2.0, 1.0, true));
        r.add(sample(10, 1, Results.Scenario.RUN, 0.1, 0.1, false));
        r.add(sample(10, 2, Results.Scenario.RUN, 3.0, 2.0, true));
        assertTrue(r.anyFailed());
        String md = r.markdown("h");
        assertTrue(md.contains("FAILED (1 of 2)"), md);
        assertFalse(r.summaryCsv().contains("apply,sysfleet,"), r.summaryCsv());
        assertTrue(r.rawCsv().contains(",false,"), r.rawCsv());
    }

    @Test
    void summaryIsInTheChartCommandsFormat() {
        Results r = new Results();
        r.add(sample(10, 1, Results.Scenario.FLOOR, 2.0, 1.0, true));
        r.add(sample(10, 1, Results.Scenario.RUN, 3.0, 2.0, true));
        r.add(sample(10, 1, Results.Scenario.RERUN, 2.5, 2.0, true));
        List<String> lines = r.summaryCsv().lines().toList();
        List<String> header = Arrays.asList(lines.get(0).split(","));
        assertTrue(header.containsAll(List.of("scenario", "tool", "hosts", "median_wall_s")), header.toString());
        for (String l : lines.subList(1, lines.size())) {
            assertEquals(header.size(), l.split(",", -1).length, l);
        }
        assertEquals(List.of("tool,hosts,median_wall_s", "ssh-loop,10,2.000", "sysfleet,10,3.000",
                "sysfleet rerun,10,2.500"), r.chartCsv().lines().toList());
    }
}
