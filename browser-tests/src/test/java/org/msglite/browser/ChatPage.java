package org.msglite.browser;

import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The bundled chat demo (/chat/) as a user sees it, through the element ids docs/bus.md promises:
 * {@code #name}, {@code #input}, {@code #send}, {@code #status}, and {@code #messages} holding
 * {@code li.message} items with {@code .name} and {@code .text}. Waits poll the page; no sleeps.
 */
final class ChatPage {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** One line of the conversation as shown. */
    record Line(String name, String text) {}

    private final WebDriver driver;

    private ChatPage(WebDriver driver) {
        this.driver = driver;
    }

    /** Opens the page and waits until its event stream is open ({@code #status} says "connected"). */
    static ChatPage open(WebDriver driver, String url) {
        driver.get(url);
        ChatPage page = new ChatPage(driver);
        new WebDriverWait(driver, WAIT).withMessage("#status never said \"connected\" on " + url)
                .until(d -> d.findElement(By.id("status")).getText().trim().equals("connected"));
        return page;
    }

    /** Types a name and a message and presses Send, as a user would. */
    void say(String name, String text) {
        WebElement nameField = driver.findElement(By.id("name"));
        nameField.clear();
        nameField.sendKeys(name);
        driver.findElement(By.id("input")).sendKeys(text);
        driver.findElement(By.id("send")).click();
    }

    List<Line> lines() {
        return driver.findElements(By.cssSelector("#messages li.message")).stream()
                .map(li -> new Line(li.findElement(By.cssSelector(".name")).getText(),
                        li.findElement(By.cssSelector(".text")).getText()))
                .toList();
    }

    /** Waits until the line is shown, and returns everything shown then. */
    List<Line> awaitLine(Line line) {
        return new WebDriverWait(driver, WAIT)
                .withMessage(() -> "never showed " + line + "; shows " + lines())
                .until(d -> {
                    List<Line> shown = lines();
                    return shown.contains(line) ? shown : null;
                });
    }

    String inputText() {
        return driver.findElement(By.id("input")).getAttribute("value");
    }
}
