package io.controlcenter.web;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.controlcenter.support.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The dashboard page in a {@link Browser}: what the tests read and do on it, by the page's own elements. */
final class Dashboard {

    static final Duration WAIT = Duration.ofSeconds(15);

    final Browser browser;
    final String base;

    Dashboard(Browser browser, int port) {
        this.browser = browser;
        this.base = "http://127.0.0.1:" + port;
    }

    /** Loads the page at {@code hash} ("#/", "#/activity", ...). */
    Dashboard open(String hash) {
        browser.open(base + "/" + hash);
        return this;
    }

    /** Shows {@code hash} without loading the page again. */
    Dashboard go(String hash) {
        browser.js("location.hash = arguments[0]", hash);
        return this;
    }

    /** The connection indicator: "live", "reconnecting…", ... */
    String connection() {
        return browser.text("#connection");
    }

    Dashboard awaitLive() {
        browser.await("the stream to be live", WAIT, d -> "live".equals(connection()));
        return this;
    }

    /** The state a gateway's tile shows ("" without a tile). */
    String gatewayState(String gateway) {
        return browser.text("section.gateway[data-gateway='" + gateway + "'] .state");
    }

    /** The ids of the agent cards of {@code gateway} on the page, in order. */
    List<String> agents(String gateway) {
        return browser.attributes("a.card[data-gateway='" + gateway + "']", "data-agent");
    }

    /** The agent cards of {@code gateway} with id {@code id}. */
    List<WebElement> cards(String gateway, String id) {
        return browser.all("a.card[data-gateway='" + gateway + "']").stream()
                .filter(e -> id.equals(e.getAttribute("data-agent"))).toList();
    }

    WebElement awaitCard(String gateway, String id, Duration timeout) {
        return browser.await("the card of " + gateway + "/" + id, timeout, d -> cards(gateway, id).stream().findFirst().orElse(null));
    }

    /** The name a card shows. */
    static String name(WebElement card) {
        return card.findElement(By.cssSelector(".name")).getText();
    }

    /** Types {@code message} into the session view's composer and sends it. */
    void send(String message) {
        WebElement input = browser.await("the message box", WAIT, d -> d.findElement(By.id("message")));
        input.clear();
        input.sendKeys(message);
        browser.driver.findElement(By.id("send")).click();
    }

    /** Every bubble of the session view's transcript (user, assistant, note): its text, in order, read in one step. */
    @SuppressWarnings("unchecked")
    List<String> messages() {
        return (List<String>) browser.js(
                "return [...document.querySelectorAll('#chat .msg .text')].map((e) => e.textContent)");
    }

    /** Adds a note to the session's transcript through the page's form ({@code label} may be empty). */
    void addNote(String note, String label) {
        browser.driver.findElement(By.cssSelector("details summary")).click();
        browser.driver.findElement(By.id("note")).sendKeys(note);
        browser.driver.findElement(By.id("note-label")).sendKeys(label);
        browser.driver.findElement(By.id("inject")).click();
    }

    /** The assistant bubbles of the session view: their texts, in order. */
    List<String> replies() {
        return browser.all(".msg.assistant .text").stream().map(WebElement::getText).toList();
    }

    /** The last assistant bubble, once there is one. */
    WebElement lastReply() {
        return browser.await("a reply", WAIT, d -> {
            List<WebElement> all = browser.all(".msg.assistant");
            return all.isEmpty() ? null : all.get(all.size() - 1);
        });
    }

    /** Whether an element has a CSS class. */
    static boolean has(WebElement e, String cls) {
        return List.of(Objects.toString(e.getAttribute("class"), "").split(" ")).contains(cls);
    }
}
