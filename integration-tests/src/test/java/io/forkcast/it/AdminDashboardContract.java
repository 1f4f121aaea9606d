package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What both admin pages show an operator beyond the table: the header's figures and live charts from
 * {@code overview.php}, what each worker costs in the table, sorting and the kind filter, a thousand clients paged,
 * and {@code metrics.php} (and {@code /metrics}) as Prometheus text that promtool accepts.
 */
abstract class AdminDashboardContract extends AdminPageContract {
    /** A nickname that would run as script anywhere the page put text as HTML. */
    static final String IMG = "<img/src=x/onerror=alert(2)>";

    private static final String ORDER = "return Array.from(document.querySelectorAll('#clients tbody tr'))"
            + ".map(r => r.dataset.clientId).join(' ');";

    private static String attribute(String css, String name) {
        return "return (document.querySelector(\"" + css + "\") || {getAttribute: () => 'none'}).getAttribute('" + name
                + "');";
    }

    @Test
    void inABrowserTheChartsFollowTheClientsAndTheTableSortsByCostAndFiltersByKind() throws Exception {
        try (var server = ForkcastServer.start("--rooms", "dev \"builds <b>and</b> releases\"");
                var a = server.join();
                var page = open(server);
                var browser = WebDriver.start()) {
            a.send("/nick alice");
            a.expect("*** you are now known as alice");
            browser.get(page.pageUrl());
            browser.awaitText("#summary dd[data-stat='clients']", "1");
            browser.awaitScript(attribute("#chart-clients", "data-last"), "1");
            String before = (String)
                    browser.script("return document.querySelector('#chart-clients polyline').getAttribute('points');");
            long idA = RawAdmin.idOf(server, a);

            try (var b = server.join();
                    var c = server.join()) {
                b.send("/nick " + IMG);
                b.expect("*** you are now known as " + IMG);
                c.send("/join dev");
                c.expect("*** you are now in #dev");
                long idB = RawAdmin.idOf(server, b);
                long idC = RawAdmin.idOf(server, c);
                // The charts change as clients connect: the line is redrawn with three clients now.
                browser.awaitScript(attribute("#chart-clients", "data-last"), "3");
                browser.awaitText("#summary dd[data-stat='clients']", "3");
                assertNotEquals(
                        before,
                        browser.script(
                                "return document.querySelector('#chart-clients polyline').getAttribute('points');"));
                // Every worker's PSS, once sampled, is a bar of the distribution and a figure in its row.
                browser.awaitScript(attribute("#chart-pss", "data-workers"), "3");
                browser.awaitScript(
                        "return Array.from(document.querySelectorAll('#clients td.pss'))"
                                + ".every(td => /^[0-9]+\\.[0-9]$/.test(td.textContent));",
                        true);
                browser.awaitScript("return document.querySelectorAll('#chart-pss rect').length > 0;", true);
                assertTrue(browser.text(browser.find("#summary dd[data-stat='memory']"))
                        .matches("[0-9]+\\.[0-9] MiB"));

                // Sorting: by id descending on a second click, by name ascending (unknown names last).
                browser.awaitScript(ORDER, idA + " " + idB + " " + idC);
                browser.click(browser.find("th[data-sort='id']"));
                browser.awaitScript(ORDER, idC + " " + idB + " " + idA);
                browser.awaitScript(attribute("th[data-sort='id']", "aria-sort"), "descending");
                browser.click(browser.find("th[data-sort='name']"));
                // "<img..." sorts before "alice"; c has no name and goes last.
                browser.awaitScript(ORDER, idB + " " + idA + " " + idC);
                browser.click(browser.find("th[data-sort='pss']"));
                browser.awaitScript(attribute("th[data-sort='pss']", "aria-sort"), "descending");

                // The kind filter offers the kinds present, and with a room filter narrows to their intersection.
                browser.awaitScript(
                        "return Array.from(document.querySelectorAll('#kind-filter option')).map(o => o.value).join(',');",
                        ",telnet");
                browser.click(browser.find("#kind-filter option[value='telnet']"));
                browser.click(browser.find("#room-filter option[value='dev']"));
                browser.awaitScript(ORDER, Long.toString(idC));
                browser.awaitText("#page-info", "1-1 of 1");

                // Chat traffic shows on the deliveries chart.
                for (int i = 0; i < 20; i++) {
                    a.send("line " + i);
                }
                b.expectLine(l -> l.endsWith("): line 19"));
                browser.awaitScript(
                        "return Number(document.querySelector('#chart-deliveries').dataset.max) > 0;", true);

                // Nothing a client typed ran or became markup.
                assertNull(browser.alertText(), "an alert opened: a nickname ran as script");
                assertEquals(0L, browser.script("return document.querySelectorAll('img, b').length;"));
                browser.click(browser.find("#room-filter option[value='']"));
                browser.click(browser.find("#kind-filter option[value='']"));
                browser.awaitText("tr[data-client-id='" + idB + "'] td.name", IMG);
                // Wide enough for every column, send and kick included, in the README's picture.
                browser.resize(1700, 760);
                browser.script("window.scrollTo(0, 0);");
                Path shot = ForkcastServer.HOME.resolve("integration-tests/target/admin-dashboard-" + name() + ".png");
                browser.screenshot(shot);
                if ("1".equals(System.getenv("FORKCAST_DOCS_SCREENSHOT")) && name().equals("java")) {
                    // The README's picture: taken here, with live data, when asked for.
                    Files.copy(
                            shot,
                            ForkcastServer.HOME.resolve("docs/admin-page.png"),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Seen in a browser, with a thousand clients the page keeps fifty rows and sorts and filters them quickly. */
    @Test
    void inABrowserAThousandClientsArePagedSortedAndFilteredQuickly() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var page = open(server);
                var browser = WebDriver.start()) {
            browser.get(page.pageUrl());
            browser.awaitText("#summary dd[data-stat='clients']", "1");
            // The page's own fetch answers clients.php with a thousand clients of the same shape as the real ones
            // (one real JVM per client would need 15 GiB); every other request goes to the server.
            browser.script("""
                    const real = window.fetch.bind(window);
                    const many = [];
                    for (let i = 1; i <= 1000; i++) {
                        many.push({id: i, peer: "10.0.0.1:" + (20000 + i), pid: 50000 + i,
                            name: i % 10 === 0 ? "<img src=x onerror=alert(3)>" + i : "n" + i, age: i, idle: 0,
                            in: i, out: 2 * i, queued: 0, room: "room" + (i % 4), kind: i % 5 === 0 ? "websocket" : "telnet",
                            cpu: i / 100, cpu_percent: (i * 7) % 100, rss: 30000000 + i, pss: 15000000 + 1000 * i,
                            threads: 12, fds: 9});
                    }
                    const body = JSON.stringify({error: false, message: "", clients: many,
                        rooms: [0, 1, 2, 3].map(r => ({name: "room" + r, members: 250, topic: null}))});
                    window.fetch = (url, options) => String(url).startsWith("clients.php")
                        ? Promise.resolve(new Response(body, {headers: {"Content-Type": "application/json"}}))
                        : real(url, options);
                    """);
            browser.awaitText("#page-info", "1-50 of 1000");
            assertEquals(50L, browser.script("return document.querySelectorAll('#clients tbody tr').length;"));

            // Sorting a thousand clients by PSS and drawing the page takes a click's time.
            var millis = (Number) browser.script("const t = performance.now();"
                    + " document.querySelector(\"th[data-sort='pss']\").click();"
                    + " return performance.now() - t;");
            assertTrue(millis.doubleValue() < 100, "sorting 1000 clients took " + millis + " ms");
            assertEquals("1000", browser.text(browser.find("#clients tbody tr:first-child td.id")));
            browser.click(browser.find("#page-next"));
            browser.awaitText("#page-info", "51-100 of 1000");
            assertEquals("950", browser.text(browser.find("#clients tbody tr:first-child td.id")));

            // Filters narrow the whole list, not only the page shown: room2 of kind websocket is every 20th from 10.
            browser.click(browser.find("#room-filter option[value='room2']"));
            browser.click(browser.find("#kind-filter option[value='websocket']"));
            browser.awaitText("#page-info", "1-50 of 50");
            assertEquals(
                    true,
                    browser.script("return Array.from(document.querySelectorAll('#clients tbody tr'))"
                            + ".every(r => r.querySelector('td.room').textContent === 'room2'"
                            + " && r.querySelector('td.kind').textContent === 'websocket');"));
            assertEquals("990", browser.text(browser.find("#clients tbody tr:first-child td.id")));
            assertNull(browser.alertText(), "a nickname ran as script");
            assertEquals(0L, browser.script("return document.querySelectorAll('#clients img').length;"));
            assertTrue(a.socket().isConnected());
        }
    }

    @Test
    void theOverviewAndMetricsEndpointsAnswerAndPromtoolAcceptsTheMetrics() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join();
                var page = open(server)) {
            a.send("hello");
            b.expectLine(l -> l.endsWith("): hello"));
            var overview = (Map<?, ?>) Json.parse(get(page, "overview.php").body());
            assertEquals(false, overview.get("error"), overview.toString());
            var stats = (Map<?, ?>) overview.get("stats");
            assertEquals(2L, stats.get("clients"));
            assertTrue((Long) stats.get("deliveries") >= 1, stats.toString());
            var history = (Map<?, ?>) overview.get("history");
            assertEquals(2L, history.get("interval_seconds"));
            assertFalse(((List<?>) history.get("points")).isEmpty(), history.toString());

            var metrics = get(page, "metrics.php");
            assertEquals(200, metrics.statusCode());
            assertTrue(
                    metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    metrics.headers().toString());
            String text = metrics.body();
            assertTrue(text.contains("\nforkcast_clients 2\n"), text);
            assertTrue(text.contains("\nforkcast_workers{state=\"serving\"} 2\n"), text);
            assertTrue(text.contains("# TYPE forkcast_worker_pss_bytes histogram\n"), text);
            promtoolAccepts(text);
        }
    }

    /** {@code promtool check metrics} reads the text and finds no problem (it prints nothing and exits 0). */
    static void promtoolAccepts(String text) throws Exception {
        Path promtool = Tools.require("promtool", "the Prometheus metrics tests");
        Path file = Files.createTempFile("fc-metrics-", ".txt");
        try {
            Files.writeString(file, text);
            var process = new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectInput(file.toFile())
                    .redirectErrorStream(true)
                    .start();
            String said = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "promtool did not finish");
            assertEquals(0, process.exitValue(), "promtool check metrics: " + said + "\n---\n" + text);
            assertEquals("", said.strip(), "promtool check metrics found problems:\n" + said + "\n---\n" + text);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
