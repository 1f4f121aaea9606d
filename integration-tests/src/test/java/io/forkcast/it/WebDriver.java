package io.forkcast.it;

import io.forkcast.admin.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Headless Chromium driven through chromedriver's W3C WebDriver HTTP API with the JDK's HTTP client: enough to
 * open a page, find elements by CSS, read their text, type, click and run a script. On close the browser, the
 * driver and the throw-away profile are gone.
 */
final class WebDriver implements AutoCloseable {
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ChildProcess driver;
    private final Path profile;
    private final String session;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private WebDriver(ChildProcess driver, Path profile, String session) {
        this.driver = driver;
        this.profile = profile;
        this.session = session;
    }

    /** Chromium's own binary where Debian puts it (the /usr/bin/chromium wrapper adds nothing headless needs). */
    static Path chromium() {
        Path direct = Path.of("/usr/lib/chromium/chromium");
        return Files.isExecutable(direct) ? direct : Tools.require("chromium", "the browser tests of the admin pages");
    }

    static WebDriver start() throws Exception {
        Path chromedriver = Tools.require("chromedriver", "the browser tests of the admin pages");
        Path chromium = chromium();
        int port = Tools.freePort();
        var driver = ChildProcess.start(List.of(chromedriver.toString(), "--port=" + port), Map.of(), null);
        Path profile = null;
        try {
            driver.awaitOutput("started successfully", Duration.ofSeconds(30));
            profile = Files.createTempDirectory(Path.of("/tmp"), "fc-chromium-");
            var args = List.of(
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                    "--window-size=1400,900",
                    "--user-data-dir=" + profile);
            String capabilities = "{\"capabilities\":{\"alwaysMatch\":{\"goog:chromeOptions\":{\"binary\":"
                    + Json.quote(chromium.toString()) + ",\"args\":["
                    + args.stream().map(Json::quote).collect(Collectors.joining(",")) + "]}}}}";
            var created = (Map<?, ?>)
                    call(HttpClient.newHttpClient(), "POST", "http://127.0.0.1:" + port + "/session", capabilities);
            return new WebDriver(driver, profile, "http://127.0.0.1:" + port + "/session/" + created.get("sessionId"));
        } catch (Exception | AssertionError e) {
            driver.close();
            deleteTree(profile);
            throw e;
        }
    }

    void get(String url) throws Exception {
        call("POST", "/url", "{\"url\":" + Json.quote(url) + "}");
    }

    String find(String css) throws Exception {
        var found =
                (Map<?, ?>) call("POST", "/element", "{\"using\":\"css selector\",\"value\":" + Json.quote(css) + "}");
        var element = (String) found.get(ELEMENT);
        if (element == null) {
            throw new AssertionError("the driver found " + css + " but gave no element reference: " + found);
        }
        return element;
    }

    String text(String element) throws Exception {
        return (String) call("GET", "/element/" + element + "/text", null);
    }

    void click(String element) throws Exception {
        call("POST", "/element/" + element + "/click", "{}");
    }

    void type(String element, String text) throws Exception {
        call("POST", "/element/" + element + "/value", "{\"text\":" + Json.quote(text) + "}");
    }

    Object script(String javascript) throws Exception {
        return call("POST", "/execute/sync", "{\"script\":" + Json.quote(javascript) + ",\"args\":[]}");
    }

    /** The text of an open alert, or null when there is none. */
    String alertText() throws Exception {
        try {
            return (String) call("GET", "/alert/text", null);
        } catch (WebDriverError e) {
            if (e.error.equals("no such alert")) {
                return null;
            }
            throw e;
        }
    }

    /** Makes the browser window {@code width} by {@code height} pixels (the start is 1400 by 900). */
    void resize(int width, int height) throws Exception {
        call("POST", "/window/rect", "{\"width\":" + width + ",\"height\":" + height + "}");
    }

    void screenshot(Path file) throws Exception {
        Files.write(file, Base64.getDecoder().decode((String) call("GET", "/screenshot", null)));
    }

    /** Waits until the element {@code css} exists and its text is {@code expected}. */
    void awaitText(String css, String expected) {
        awaitCondition(css + " to read " + expected, () -> expected.equals(textOrNull(css)), () -> textOrNull(css));
    }

    /**
     * Waits until {@code javascript} (a function body) returns {@code expected}: for what WebDriver's text does not
     * show, such as hidden rows or the options of a closed select.
     */
    void awaitScript(String javascript, Object expected) {
        awaitCondition(
                "`" + javascript + "` to return " + expected,
                () -> expected.equals(scriptOrProblem(javascript)),
                () -> String.valueOf(scriptOrProblem(javascript)));
    }

    private Object scriptOrProblem(String javascript) {
        try {
            return script(javascript);
        } catch (WebDriverError e) {
            return "(script failed: " + e.getMessage() + ")";
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    void awaitGone(String css) {
        awaitCondition(css + " to disappear", () -> textOrNull(css) == null, () -> textOrNull(css));
    }

    private void awaitCondition(String what, Supplier<Boolean> condition, Supplier<String> now) {
        Await.until(
                WAIT,
                "the page: " + what + "; it reads: %s",
                () -> condition.get() ? Boolean.TRUE : null,
                () -> now.get() + "\n--- page at " + currentUrl() + " ---\n" + source());
    }

    private String currentUrl() {
        try {
            return (String) call("GET", "/url", null);
        } catch (Exception | AssertionError e) {
            return "(unknown: " + e + ")";
        }
    }

    /** The page's current DOM as HTML, for failure messages. */
    String source() {
        try {
            return (String) call("GET", "/source", null);
        } catch (Exception | AssertionError e) {
            return "(no source: " + e + ")";
        }
    }

    /** The text of {@code css}, or null if there is no such element (now). */
    private String textOrNull(String css) {
        try {
            return text(find(css));
        } catch (WebDriverError e) {
            if (e.error.equals("no such element") || e.error.equals("stale element reference")) {
                return null;
            }
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Object call(String method, String path, String body) throws Exception {
        return call(http, method, session + path, body);
    }

    /** One WebDriver command; its {@code value}, or a {@link WebDriverError} with the driver's error code. */
    private static Object call(HttpClient http, String method, String url, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json; charset=utf-8")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
        Object value = ((Map<?, ?>) Json.parse(response.body())).get("value");
        if (response.statusCode() != 200) {
            var problem = value instanceof Map<?, ?> map ? map : Map.of();
            throw new WebDriverError(
                    String.valueOf(problem.get("error")),
                    method + " " + url + " -> " + response.statusCode() + " " + problem.get("message"));
        }
        return value;
    }

    /** An error answer from the driver: {@code error} is the W3C code, such as "no such element". */
    static final class WebDriverError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final String error;

        WebDriverError(String error, String message) {
            super(message);
            this.error = error;
        }
    }

    @Override
    public void close() {
        try {
            call("DELETE", "", null);
        } catch (Exception | AssertionError ignored) {
            // The browser may be gone already; the process tree is killed next either way.
        }
        driver.close();
        deleteTree(profile);
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Temporary profile; best effort.
        }
    }
}
