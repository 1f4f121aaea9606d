package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.Json;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chat page a worker serves on the WebSocket port, in a real headless Chromium ({@link WebDriver}): it connects
 * and shows its welcome, chats both ways with a telnet user in the lobby, shows a stranger's markup as text, and
 * moves rooms with {@code /join}. The page is read through its own ids (chat.js: #log, #line, #room, #status).
 */
@Timeout(180)
class ChatPageIT {
    private static final Pattern WELCOME = Pattern.compile("you are (\\S+) \\(pid (\\d+)\\)");
    /** WebDriver's Enter key: typed into #line it submits the page's form as a person would. */
    private static final String ENTER = "\uE007";

    /**
     * A function body for {@link WebDriver#awaitScript}: whether a #log entry of class {@code kind} reads {@code
     * text}, leaving out the time the page puts before lines.
     */
    private static String logHas(String kind, String text) {
        return "return [...document.querySelectorAll('#log li." + kind + "')].some(li => [...li.querySelectorAll("
                + "'span')].map(s => s.textContent).join('') === " + Json.quote(text) + ");";
    }

    @Test
    void thePageChatsWithATelnetUserShowsMarkupAsTextAndMovesRooms() throws Exception {
        try (var server = ForkcastServer.start();
                var telnet = server.join();
                var browser = WebDriver.start()) {
            browser.get("http://127.0.0.1:" + server.wsPort() + "/");
            browser.awaitText("#status", "connected");
            browser.awaitText("#room", "#lobby");
            browser.awaitScript(
                    "return [...document.querySelectorAll('#log li.news')].some(li => /^you are \\S+ \\(pid \\d+\\)$/"
                            + ".test(li.textContent));",
                    true);
            var welcome = WELCOME.matcher(browser.text(browser.find("#log li.news")));
            assertTrue(welcome.matches(), "the first entry of the log is the welcome");
            String name = welcome.group(1);
            String pid = welcome.group(2);
            // The server announces the browser once its opening is accepted, by its peer name and its worker's pid.
            telnet.expect("*** " + name + " (" + pid + ") joined");

            String line = browser.find("#line");
            browser.type(line, "hello from chromium" + ENTER);
            telnet.expect("[" + name + "] (" + pid + "): hello from chromium");
            browser.awaitScript("return document.getElementById('line').value;", "");
            telnet.send("hello from telnet");
            browser.awaitScript(logHas("said", telnet.address() + ": hello from telnet"), true);

            // Nicknames have no spaces, so the classic payload is refused; one without spaces is a nickname.
            telnet.send("/nick <img src=x onerror=alert(1)>");
            telnet.expect("*** a nickname cannot contain spaces");
            String markupNick = "<img/src=x/onerror=alert(1)>";
            telnet.send("/nick " + markupNick);
            telnet.expect("*** you are now known as " + markupNick);
            browser.awaitScript(logHas("news", telnet.address() + " is now known as " + markupNick), true);
            String markupLine = "<img src=x onerror=alert(2)><b>bold</b>";
            telnet.send(markupLine);
            browser.awaitScript(logHas("said", markupNick + ": " + markupLine), true);
            assertEquals(
                    0L,
                    browser.script("return document.querySelectorAll('#log img, #log b, #log script').length;"),
                    "a stranger's markup is text on the page, never elements");
            assertNull(browser.alertText(), "no script of a stranger ran");

            browser.type(line, "/join dev" + ENTER);
            browser.awaitText("#room", "#dev");
            browser.awaitScript(logHas("news", "you are in #dev"), true);
            telnet.expect("*** " + name + " (" + pid + ") left for #dev");
            browser.click(browser.find("#rooms-button"));
            browser.awaitScript(
                    "return document.getElementById('side').hidden === false && [...document.querySelectorAll("
                            + "'#side-list button')].map(b => b.textContent).sort().join(',');",
                    "#dev (1),#lobby (1)");
            // The switcher's lobby button takes the page back, where the telnet user sees it arrive.
            browser.script("[...document.querySelectorAll('#side-list button')]"
                    + ".find(b => b.textContent.startsWith('#lobby')).click();");
            browser.awaitText("#room", "#lobby");
            telnet.expect("*** " + name + " (" + pid + ") joined #lobby");
        }
    }
}
