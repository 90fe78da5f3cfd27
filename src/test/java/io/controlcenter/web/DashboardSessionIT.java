package io.controlcenter.web;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.controlcenter.fleet.FleetTestSupport;
import io.controlcenter.support.Browser;
import io.controlcenter.support.FakeChat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session view in headless Chromium against the in-process gateway ({@link FakeChat}), as a user sees it: a
 * history longer than a page shows its newest page first and pages back to its oldest message, every message once and
 * in order; a note added through the page's form shows once and reaches the gateway as chat.inject; a run Control
 * Center did not start (a cron job's) streams into the open session marked proactive and ends with its final text, and
 * a repeated delta and the events the gateway sends after the final change nothing on the page. One browser for the
 * class; screenshots in target/screenshots.
 */
@Tag("browser")
class DashboardSessionIT extends FleetTestSupport {

    private static final String SESSION = "agent:main:s0";
    private static final String VIEW = "#/session/default/agent%3Amain%3As0";
    private static Browser browser;
    private final FakeChat chat = new FakeChat(gateway);
    private Dashboard page;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aLongHistoryShowsItsNewestPageFirstAndPagesBackToTheOldestMessageOnce() {
        List<String> transcript = IntStream.rangeClosed(1, 60).boxed()
                .flatMap(i -> Stream.of("question %03d".formatted(i), "answer %03d".formatted(i))).toList();
        for (int i = 1; i <= 60; i++) {
            chat.past(SESSION, "old-" + i, transcript.get(2 * i - 2), transcript.get(2 * i - 1));
        }
        open();

        awaitMessages(50);
        assertEquals(transcript.subList(70, 120), page.messages(), "the newest page, oldest first");
        assertTrue(inView("#chat .msg:last-child"), "scrolled to the newest message");
        browser.screenshot("session-history-newest");

        olderPage(100);
        assertEquals(transcript.subList(20, 120), page.messages(), "the page before, above it");
        olderPage(120);
        assertEquals(transcript, page.messages(), "every message once, in order");
        browser.await("no older page left", Dashboard.WAIT, d -> !d.findElement(By.id("older")).isDisplayed());
        assertEquals(120, browser.attributes("#chat .msg", "data-id").stream().distinct().count(),
                "each its own bubble");
        browser.js("document.getElementById('chat').scrollTop = 0");
        assertTrue(inView("#chat .msg:first-child"), "the oldest message reached by scrolling up");
        browser.screenshot("session-history-oldest");

        assertEquals(List.of(Map.of("sessionKey", SESSION, "limit", 50, "offset", 0),
                Map.of("sessionKey", SESSION, "limit", 50, "offset", 50),
                Map.of("sessionKey", SESSION, "limit", 50, "offset", 100)), requests("chat.history"));
        assertNoErrors();
    }

    @Test
    void aNoteAddedInThePageShowsOnceAndReachesTheGatewayAsChatInject() {
        chat.past(SESSION, "before", "what is planned?", "nothing yet");
        open();
        awaitMessages(2);

        page.addNote("maintenance at noon", "ops");
        browser.await("the note in the transcript", Dashboard.WAIT,
                d -> browser.text("#chat .msg.note").contains("noon"));
        browser.await("the form told", Dashboard.WAIT, d -> browser.text(".panel [role=status]").equals("Note added."));
        assertEquals(List.of("what is planned?", "nothing yet", "[ops]\n\nmaintenance at noon"), page.messages());
        assertEquals(1, browser.all("#chat .msg.note").size());
        assertEquals(List.of(Map.of("sessionKey", SESSION, "message", "maintenance at noon", "label", "ops")),
                requests("chat.inject"));
        browser.screenshot("session-note");

        browser.driver.navigate().refresh(); // read again, from the gateway's history: still once, still a note
        page.awaitLive();
        awaitMessages(3);
        assertEquals(List.of("what is planned?", "nothing yet", "[ops]\n\nmaintenance at noon"), page.messages());
        assertEquals(1, browser.all("#chat .msg.note").size(), "shown as the note it is");
        assertNoErrors();
    }

    @Test
    void aCronRunStreamsIntoTheOpenSessionMarkedProactiveAndLateOrRepeatedEventsChangeNothing() {
        chat.past(SESSION, "before", "send me a digest every morning", "will do");
        open();
        awaitMessages(2);
        recordBubble("cron-digest:assistant");

        FakeChat.Run cron = chat.proactive("cron-digest", SESSION).status("starting_model").delta("Daily ");
        long first = cron.seq();
        browser.await("the run streaming", Dashboard.WAIT, d -> "Daily".equals(browser.text(".msg.streaming .text")));
        cron.delta("digest");
        browser.await("its next delta", Dashboard.WAIT,
                d -> "Daily digest".equals(browser.text(".msg.streaming .text")));
        browser.screenshot("session-proactive-streaming");
        // the first delta again, seq and all: shown, it would take the text back to "Daily "
        cron.sendWithSeq(first, "delta", Map.of("deltaText", "Daily ", "message", FakeChat.message("Daily ")));
        cron.finish("Daily digest ready.");
        cron.delta(" again"); // after the final, as a gateway may send them
        cron.finish("Something else");
        chat.proactive("cron-marker", SESSION).delta("later").finish("A later run.");
        browser.await("a later run shown", Dashboard.WAIT, d -> page.messages().contains("A later run."));

        assertEquals(List.of("send me a digest every morning", "will do", "Daily digest ready.", "A later run."),
                page.messages(), "the run once, with its final text");
        assertEquals(List.of("Daily  (streaming)", "Daily digest (streaming)", "Daily digest ready."),
                browser.js("return window.__bubble"), "what the run's bubble showed, in order");
        String digest = "#chat .msg[data-id='cron-digest:assistant']";
        assertEquals("proactive", browser.text(digest + " .badge"), "marked as a run Control Center did not start");
        assertEquals(2, browser.all("#chat .badge").size(), "the two cron runs' only");
        browser.screenshot("session-proactive");

        browser.open("about:blank");
        page.open(VIEW).awaitLive(); // loaded again: the runs come from the history alone
        browser.await("the history shown", Dashboard.WAIT, d -> page.messages().contains("A later run."));
        assertEquals("proactive", browser.text(digest + " .badge"), "still marked after a reload");
        assertEquals(2, browser.all("#chat .badge").size(), "the two cron runs' only, also from the history");
        assertNoErrors();
    }

    /** Leaves the page before its Control Center stops (its reconnect attempts are not the next test's errors). */
    @AfterEach
    void leavePage() {
        browser.open("about:blank");
    }

    private void open() {
        browser.console(); // read: what an earlier page logged is not this one's
        page = new Dashboard(browser, app == null ? startApp() : app.port()).open(VIEW).awaitLive();
    }

    private int startApp() {
        fleet.agents(1).sessions(1, System.currentTimeMillis());
        startSynced(1);
        return app.port();
    }

    private void awaitMessages(int n) {
        browser.await(n + " messages", Dashboard.WAIT, d -> page.messages().size() == n);
    }

    /** Clicks "Load older messages" and waits until the transcript has {@code total} messages. */
    private void olderPage(int total) {
        browser.driver.findElement(By.id("older")).click();
        awaitMessages(total);
    }

    /** Whether the element is within the chat's visible part. */
    private static boolean inView(String css) {
        return (Boolean) browser.js("""
                const e = document.querySelector(arguments[0]).getBoundingClientRect();
                const c = document.getElementById('chat').getBoundingClientRect();
                return e.top >= c.top - 1 && e.bottom <= c.bottom + 1;""", css);
    }

    /** Keeps in window.__bubble every text the bubble {@code id} shows, in order (" (streaming)" while it streams). */
    private static void recordBubble(String id) {
        browser.js("""
                const id = arguments[0];
                window.__bubble = [];
                new MutationObserver(() => {
                  const b = document.querySelector(`#chat .msg[data-id='${id}']`);
                  if (!b) return;
                  const streaming = b.classList.contains('streaming') ? ' (streaming)' : '';
                  const t = b.querySelector('.text').textContent + streaming;
                  if (window.__bubble[window.__bubble.length - 1] !== t) window.__bubble.push(t);
                }).observe(document.getElementById('chat'), {subtree: true, childList: true, characterData: true,
                  attributes: true});""", id);
    }

    /** The params of every request {@code method} the gateway received, in order. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> requests(String method) {
        return gateway.last().received.stream().filter(f -> method.equals(f.get("method")))
                .map(f -> (Map<String, Object>) f.get("params")).toList();
    }

    /** No error in the page's console: no exception, nothing the Content-Security-Policy refused. */
    private static void assertNoErrors() {
        assertEquals(List.of(), browser.console().stream().filter(l -> l.contains("SEVERE")).toList());
    }
}
