package io.forkcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ChartTest {
    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void barsAreWellFormedSvgWithOneRectPerValue() throws Exception {
        var doc = parse(Chart.bars(
                "a <title> & more",
                "ms",
                List.of("1. banner", "4. broadcast"),
                List.of("forkcast p50", "C p50"),
                new double[][] {{54.3, 6.6}, {0.18, Double.NaN}}));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals(1 + 3, doc.getElementsByTagName("rect").getLength()); // the background and three bars
    }

    @Test
    void aWideSpanOfValuesGetsALogScale() throws Exception {
        String svg = Chart.bars("t", "ms", List.of("g"), List.of("a", "b"), new double[][] {{0.18}, {384}});
        parse(svg);
        assertTrue(svg.contains("ms (log)"));
    }

    @Test
    void panelsAreWellFormedSvgWithOnePathPerSeries() throws Exception {
        double[] t = {0, 2, 4};
        var doc = parse(Chart.panels(
                "curve",
                "s",
                List.of(
                        new Chart.Panel(
                                "clients", List.of(new Chart.Series("run 1", t, new double[] {1, 50, 100}, false))),
                        new Chart.Panel(
                                "cpu",
                                List.of(new Chart.Series("run 1", t, new double[] {Double.NaN, 150, 190}, true)))),
                null));
        assertEquals(2, doc.getElementsByTagName("path").getLength());
    }
}
