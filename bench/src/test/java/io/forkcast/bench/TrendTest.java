package io.forkcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrendTest {
    private static final List<String> DOC = List.of(
            "# forkcast benchmarks",
            "## Where we stand",
            "| figure | median | runs |",
            "|---|---|---|",
            "| 1. connect to banner p50 / p99 (prose) | 1 / 2 ms | x |",
            "### 2026-12-02 03:18 UTC: full, 3 run(s) per figure, commit d455ee6",
            "",
            "- machine: 2 cores",
            "",
            "| figure | median | runs |",
            "|---|---|---|",
            "| 1. connect to banner p50 / p99 (100 connections at 10/s) | 54.3 / 362 ms | 54.3 / 362 |",
            "| 5. deliveries/s (100 clients, 5 senders flooding for 10 s) | 389206 /s | 389206 |",
            "",
            "| figure | forkcast | C |",
            "|---|---|---|",
            "| 1. connect to banner p50 / p99 (100 connections at 10/s) | 54.3 / 362 ms | 0.614 / 32.1 ms |",
            "<details><summary>every figure</summary>",
            "### 2026-11-22 04:37 UTC: quick, 1 run(s) per figure, commit 9d9db79 (uncommitted changes)",
            "| figure | median | runs |",
            "|---|---|---|",
            "| 1. connect to banner p50 / p99 (20 connections at 10/s) | 81.6 / 318 ms | 81.6 / 318 |",
            "### 2026-11-22 03:24 UTC: worker JVM flags, commit 3718d9b",
            "| variant | connect to banner p50 / p99 |",
            "|---|---|",
            "| default | 1 / 2 ms |");

    @Test
    void eachDatedSectionWithAFigureTableIsOneRunInDateOrder() {
        var runs = Trend.parse(DOC);
        assertEquals(2, runs.size());
        assertEquals("9d9db79", runs.get(0).commit());
        assertEquals("quick", runs.get(0).mode());
        assertEquals("d455ee6", runs.get(1).commit());
        assertEquals(
                "389206 /s", runs.get(1).medians().get("5. deliveries/s (100 clients, 5 senders flooding for 10 s)"));
    }

    @Test
    void theReferencesMediansAreTheThirdCellOfItsTable() {
        var run = Trend.parse(DOC).get(1);
        assertEquals(
                "0.614 / 32.1 ms",
                run.medians().get(Trend.REFERENCE + "1. connect to banner p50 / p99 (100 connections at 10/s)"));
        assertEquals("54.3 / 362 ms", run.medians().get("1. connect to banner p50 / p99 (100 connections at 10/s)"));
    }

    @Test
    void tablesOfProseSectionsAndFlagStudiesAreNotRuns() {
        var runs = Trend.parse(DOC);
        assertTrue(runs.stream().noneMatch(r -> r.medians().keySet().stream().anyMatch(k -> k.contains("prose"))));
        assertTrue(runs.stream().noneMatch(r -> r.commit().equals("3718d9b")));
    }

    @Test
    void nthNumberOfAMedianCell() {
        assertEquals(54.3, Trend.nth("54.3 / 362 ms", 0));
        assertEquals(362, Trend.nth("54.3 / 362 ms", 1));
        assertTrue(Double.isNaN(Trend.nth("- / - ms", 0)));
    }

    @Test
    void svgNeedsTwoRuns() {
        assertNotNull(Trend.svg(DOC));
        assertNull(Trend.svg(DOC.subList(0, 15)));
    }
}
