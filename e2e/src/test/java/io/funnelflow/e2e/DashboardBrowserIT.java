package io.funnelflow.e2e;

import io.funnelflow.launcher.Ports;
import io.funnelflow.launcher.ServiceProcess;
import io.funnelflow.testing.SharedKafka;
import io.funnelflow.testing.SharedPostgres;
import io.funnelflow.testing.TestAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A shopper and an analyst in a real headless Chromium: the dashboard is open in one window; in
 * another, a shopper goes through the demo store (product → cart → checkout → purchase) with the real
 * tracker; without reloading, the dashboard's live feed shows that session with its purchase and its
 * prediction, and the funnel, the KPIs and the personas count it; the analyst (rule-based: no LLM here)
 * answers and says so. The leads page shows the stage funnel of imported leads. Kafka and PostgreSQL are
 * the test JVM's shared ones; the five services run from their jars.
 *
 * <p>Screenshots of each step are saved under {@code target/screenshots/}. Any error in either page's
 * console fails the test.
 */
class DashboardBrowserIT {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final String KEY = "e2e-browser-key";
    static final Duration WAIT = Duration.ofSeconds(60);

    static final List<String> MODULES = List.of("ingest-service", "funnel-aggregator", "prediction-service", "insights-service",
            "crm-service");
    static final Map<String, ServiceProcess> services = new ConcurrentHashMap<>();
    static ServiceProcess ingest;
    static ServiceProcess aggregator;
    static ChromeDriverService driverService;
    static ChromeDriver driver;
    static final List<String> consoleErrors = new ArrayList<>();
    static int shot;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "The browser test needs Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
                        + ": apt-get install chromium chromium-driver");
        String bootstrap = SharedKafka.bootstrapServers();
        String jdbcUrl = SharedPostgres.newDatabase("e2e_browser");
        Path data = Files.createTempDirectory("e2e-browser");
        Path logs = Path.of("target", "it-logs");

        Map<String, Integer> ports = new HashMap<>();
        for (String module : MODULES) {
            ports.put(module, Ports.free());
        }
        Map<String, String> env = new HashMap<>();
        env.put("FUNNELFLOW_KAFKA_BOOTSTRAP", bootstrap);
        env.put("FUNNELFLOW_JDBC_URL", jdbcUrl);
        env.put("FUNNELFLOW_JDBC_USER", SharedPostgres.user());
        env.put("FUNNELFLOW_JDBC_PASSWORD", SharedPostgres.password());
        env.put("FUNNELFLOW_WRITE_KEYS", KEY);
        env.put("FUNNELFLOW_DATA_DIR", data.toString());
        env.put("FUNNELFLOW_INGEST_PORT", String.valueOf(ports.get("ingest-service")));
        env.put("FUNNELFLOW_AGGREGATOR_PORT", String.valueOf(ports.get("funnel-aggregator")));
        env.put("FUNNELFLOW_PREDICTION_PORT", String.valueOf(ports.get("prediction-service")));
        env.put("FUNNELFLOW_INSIGHTS_PORT", String.valueOf(ports.get("insights-service")));
        env.put("FUNNELFLOW_AGGREGATOR_URL", url(ports, "funnel-aggregator"));
        env.put("FUNNELFLOW_PREDICTION_URL", url(ports, "prediction-service"));
        env.put("FUNNELFLOW_INSIGHTS_URL", url(ports, "insights-service"));
        env.put("FUNNELFLOW_CRM_PORT", String.valueOf(ports.get("crm-service")));
        env.put("FUNNELFLOW_CRM_URL", url(ports, "crm-service"));
        // no LLM here: the rule-based analyst answers, and says so
        env.put("FUNNELFLOW_LLM_MODEL", "");
        env.putAll(TestAccess.environment());
        // as the launcher does: in parallel, each waits for its own health
        ExecutorService pool = Executors.newFixedThreadPool(MODULES.size());
        try {
            Map<String, Future<ServiceProcess>> starting = new LinkedHashMap<>();
            for (String module : MODULES) {
                starting.put(module, pool.submit(() -> ServiceProcess.start(module, jar(module), url(ports, module), env, "256m",
                        logs.resolve(module + ".log"), Duration.ofSeconds(180))));
            }
            for (Map.Entry<String, Future<ServiceProcess>> e : starting.entrySet()) {
                services.put(e.getKey(), e.getValue().get());
            }
        } finally {
            pool.shutdown();
        }
        ingest = services.get("ingest-service");
        aggregator = services.get("funnel-aggregator");

        Files.createDirectories(SCREENSHOTS);
        try (var old = Files.newDirectoryStream(SCREENSHOTS, "*.png")) {
            for (Path file : old) {
                Files.delete(file);
            }
        }
        driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(logs.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--no-first-run", "--window-size=1400,1800");
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        driver = new ChromeDriver(driverService, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (driverService != null) {
            driverService.stop();
        }
        services.values().parallelStream().forEach(ServiceProcess::close);
    }

    static String url(Map<String, Integer> ports, String module) {
        return "http://127.0.0.1:" + ports.get(module);
    }

    static Path jar(String module) {
        return Path.of("..", module, "target", module + ".jar").toAbsolutePath().normalize();
    }

    @Test
    void aPurchaseInTheDemoStoreAppearsLiveOnTheOpenDashboard() throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        // panels re-render while they are looked at
        wait.ignoring(StaleElementReferenceException.class);

        // without a session the dashboard is a sign-in page with one password field
        driver.get(aggregator.url() + "/");
        wait.until(ExpectedConditions.urlToBe(aggregator.url() + "/signin"));
        WebElement tokenField = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(tokenField.getDomAttribute("type")).isEqualTo("password");
        assertThat(driver.findElements(By.cssSelector("[data-testid=live-feed]"))).isEmpty();
        screenshot("signin");
        collectConsole("sign-in page");
        // signing in with the admin token (the analyst's panel spends LLM money: admin) opens the dashboard
        tokenField.sendKeys(TestAccess.ADMIN_TOKEN);
        driver.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
        wait.until(ExpectedConditions.urlToBe(aggregator.url() + "/"));
        wait.until(d -> byTestId("session-scope").getText().startsWith("admin"));
        // the session cookie is not readable by the page's scripts
        assertThat(String.valueOf(js("return document.cookie;"))).doesNotContain("funnelflow_session");

        // the analyst's window: the dashboard, connected to the live stream
        String dashboard = driver.getWindowHandle();
        wait.until(d -> "open".equals(byTestId("live-status").getDomAttribute("data-state")));
        wait.until(d -> loads() >= 1);
        long purchasesBefore = funnelCount("purchase");
        long sessionsBefore = Long.parseLong(byTestId("kpi-sessions").getText().replace(",", ""));
        // a page that reloads loses this
        js("window.__notReloaded = true;");
        screenshot("dashboard-before");
        collectConsole("dashboard");

        // the shopper's window: the demo store, arriving from a campaign
        driver.switchTo().newWindow(WindowType.WINDOW);
        driver.get(ingest.url() + "/demo/?utm_source=newsletter&utm_medium=email&utm_campaign=e2e#/");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=product-link]")));
        screenshot("store-home");
        // after each step the tracker delivers what it has (as it would while a person reads the page), so
        // that each step reaches the server after the one before and not within the same few milliseconds
        delivered();
        driver.findElement(By.cssSelector("[data-testid=product-link]")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("add-to-cart")));
        delivered();
        driver.findElement(By.id("add-to-cart")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=added-note]")));
        delivered();
        screenshot("store-product-added");
        driver.findElement(By.id("cart-link")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("checkout")));
        delivered();
        screenshot("store-cart");
        driver.findElement(By.id("checkout")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("place-order")));
        delivered();
        screenshot("store-checkout");
        driver.findElement(By.id("place-order")).click();
        WebElement confirmation = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("order-confirmation")));
        wait.until(d -> "true".equals(confirmation.getDomAttribute("data-events-sent")));
        String sessionId = driver.findElement(By.id("session-id")).getText().trim();
        assertThat(sessionId).isNotBlank().isNotEqualTo("–");
        screenshot("store-purchased");
        collectConsole("demo store");

        // back to the dashboard, which was never reloaded
        driver.switchTo().window(dashboard);
        // the feed re-renders its rows as updates come: each look at the row is one atomic read in the page
        wait.until(d -> {
            Map<String, Object> r = liveRow(sessionId);
            return r != null && "1".equals(r.get("purchases"));
        });
        Map<String, Object> live = liveRow(sessionId);
        assertThat(live.get("furthest_step")).isEqualTo("5");
        assertThat((String) live.get("text")).contains("newsletter / email").contains("purchase");
        // the prediction service scores the session: the row fills in
        wait.until(d -> "true".equals(liveRow(sessionId).get("predicted")));
        live = liveRow(sessionId);
        assertThat(live.get("probabilities")).isEqualTo(1L);
        assertThat((String) live.get("text")).containsPattern("\\d+\\.\\d%");
        // and the persona distribution counts it
        wait.until(d -> !d.findElements(By.cssSelector("[data-testid=persona-row]")).isEmpty());

        wait.until(d -> funnelCount("purchase") == purchasesBefore + 1);
        assertThat(funnelCount("page_view")).isGreaterThanOrEqualTo(funnelCount("purchase"));
        wait.until(d -> Long.parseLong(byTestId("kpi-sessions").getText().replace(",", "")) >= sessionsBefore + 1);
        assertThat(js("return window.__notReloaded === true;")).isEqualTo(Boolean.TRUE);
        screenshot("dashboard-after-purchase");

        // broken down by source, the funnel has the campaign the shopper came from
        new Select(byTestId("breakdown-select")).selectByValue("utm_source");
        wait.until(d -> String.valueOf(js("const t = document.querySelector('[data-testid=funnel-breakdown-table]');"
                + " return t ? t.innerText : '';")).contains("newsletter"));
        screenshot("dashboard-by-source");

        // the charts are drawn by the library served from the aggregator
        assertThat(js("return ['funnel-chart', 'trend-chart'].every(id => window.Chart && Chart.getChart(document.getElementById(id)));"))
                .isEqualTo(Boolean.TRUE);

        // what the charts draw is what the API answers: each funnel bar in its own step's slot, the trend's
        // points one per bucket of the range at even steps of time (empty ones as zero), the heatmap's 168
        // cells and its peak; and each CSV link downloads the panel's report. With a breakdown, then without
        wait.withMessage(() -> "the dashboard and the API differ: " + chartsDrawTheApi());
        wait.until(d -> chartsDrawTheApi().isEmpty());
        new Select(byTestId("breakdown-select")).selectByValue("");
        wait.until(d -> d.findElements(By.cssSelector("#funnel-breakdown table")).isEmpty());
        wait.until(d -> chartsDrawTheApi().isEmpty());
        assertThat(chartsDrawTheApi()).isEmpty();
        wait.withMessage(() -> null);
        screenshot("dashboard-heatmap");

        // the analyst answers, and the panel says who did: with no LLM configured, the rules
        byTestId("insights-button").click();
        wait.until(d -> byTestId("insights-analyst").getDomAttribute("data-kind") != null
                || byTestId("insights-status").getText().contains("could not answer"));
        System.out.println("[insights] " + byTestId("insights-status").getText() + " | " + byTestId("insights-analyst").getText());
        screenshot("dashboard-insights");
        assertThat(byTestId("insights-analyst").getDomAttribute("data-kind")).isEqualTo("rules");
        assertThat(byTestId("insights-analyst").getText()).contains("Rule-based");
        assertThat(driver.findElements(By.cssSelector("[data-testid=insights-observations] li"))).isNotEmpty();

        // on a phone's width nothing sticks out sideways: wide tables scroll inside their panels
        driver.manage().window().setSize(new Dimension(390, 2400));
        wait.until(d -> ((Number) js("return window.innerWidth;")).intValue() <= 400);
        assertThat(((Number) js("return document.documentElement.scrollWidth - window.innerWidth;")).intValue()).isLessThanOrEqualTo(0);
        screenshot("dashboard-narrow");

        collectConsole("dashboard");
        assertThat(consoleErrors).as("errors in the browser console").isEmpty();

        // signing out ends the session: the dashboard is the sign-in page again
        byTestId("signout-button").click();
        wait.until(ExpectedConditions.urlToBe(aggregator.url() + "/signin"));
        driver.get(aggregator.url() + "/");
        wait.until(ExpectedConditions.urlToBe(aggregator.url() + "/signin"));
        screenshot("signed-out");
    }

    @Test
    void theLeadsPageShowsTheStageFunnelOfTheCrm() throws Exception {
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String created = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(30).toString();
        String csv = "lead_id,created_at,funnel_stage,intent_score,last_engaged,sales_owner\r\n"
                + "E2E-1," + created + ",,10," + today + ",Priya Shah\r\n"
                + "E2E-2," + created + ",,20," + today + ",Priya Shah\r\n"
                + "E2E-3," + created + ",MQL,45," + today + ",Sam Okafor\r\n"
                + "E2E-4," + created + ",SQL,30," + today + ",Sam Okafor\r\n";
        java.net.http.HttpResponse<String> imported = java.net.http.HttpClient.newHttpClient().send(
                TestAccess.request(services.get("crm-service").url() + "/api/leads/import").header("Content-Type", "text/csv")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(csv)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);

        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
        // what the browser logged before this test (another test's sign-out) is not this page's
        driver.manage().logs().get(LogType.BROWSER);
        driver.get(aggregator.url() + "/leads.html");
        if (driver.getCurrentUrl().endsWith("/signin")) {
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(TestAccess.readToken());
            driver.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
            wait.until(ExpectedConditions.urlToBe(aggregator.url() + "/"));
            driver.get(aggregator.url() + "/leads.html");
        }
        // the imported leads, through the aggregator, in the stage funnel: 2 Lead, 1 MQL, 1 SQL at least
        wait.until(d -> stageCount("Lead") >= 2 && stageCount("MQL") >= 1 && stageCount("SQL") >= 1);
        assertThat(js("return !!(window.Chart && Chart.getChart(document.getElementById('stage-chart')));")).isEqualTo(Boolean.TRUE);
        wait.until(d -> d.findElements(By.cssSelector("[data-testid=lead-row]")).size() >= 4);
        assertThat(byTestId("lead-table").getText()).contains("E2E-4", "SQL", "imported as SQL");
        screenshot("leads-page");
        collectConsole("leads page");
        assertThat(consoleErrors).as("errors in the browser console").isEmpty();

        // signed out again, as the other tests expect to find the browser
        byTestId("signout-button").click();
        wait.until(ExpectedConditions.urlToBe(aggregator.url() + "/signin"));
        driver.manage().logs().get(LogType.BROWSER);
    }

    long stageCount(String stage) {
        Object n = js("const tr = document.querySelector(\"[data-testid='stage-\" + arguments[0] + \"']\"); return tr ? tr.dataset.current : '0';",
                stage);
        return Long.parseLong((String) n);
    }

    /** What the charts, the heatmap and the CSV links show that the API does not answer; empty when they agree. */
    String chartsDrawTheApi() {
        Object problems = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  const problems = [];
                  const get = async (u) => (await fetch(u, { credentials: 'same-origin' })).json();
                  const hours = Number(document.getElementById('range').value);
                  const breakdown = document.getElementById('breakdown').value;
                  const funnelChart = Chart.getChart(document.getElementById('funnel-chart'));
                  const x = funnelChart.scales.x;
                  const slot = (x.right - x.left) / funnelChart.data.labels.length;
                  funnelChart.data.datasets.forEach((ds, d) => funnelChart.getDatasetMeta(d).data.forEach((bar, i) => {
                    const centre = x.getPixelForValue(i);
                    if (Math.abs(bar.x - centre) > slot / 2) {
                      problems.push('funnel bar ' + d + '/' + i + ' is drawn at ' + bar.x.toFixed(0) + ', its slot at ' + centre.toFixed(0));
                    }
                  }));
                  const funnel = await get('/api/funnel?hours=' + hours + (breakdown ? '&breakdown=' + breakdown : ''));
                  const expected = breakdown ? Object.values(funnel.breakdown).slice(0, 8).map((steps) => steps.map((s) => s.count))
                    : [funnel.steps.map((s) => s.count)];
                  const drawn = funnelChart.data.datasets.map((ds) => ds.data);
                  if (JSON.stringify(drawn) !== JSON.stringify(expected)) {
                    problems.push('the funnel draws ' + JSON.stringify(drawn) + ', the API answers ' + JSON.stringify(expected));
                  }
                  const interval = hours <= 24 ? 'hour' : 'day';
                  const trend = await get('/api/trends?hours=' + hours + '&interval=' + interval);
                  const trendChart = Chart.getChart(document.getElementById('trend-chart'));
                  const events = trendChart.data.datasets[0].data;
                  const answered = trend.points.map((p) => p.events);
                  if (JSON.stringify(events) !== JSON.stringify(answered)) {
                    problems.push('the trend draws ' + JSON.stringify(events) + ', the API answers ' + JSON.stringify(answered));
                  }
                  const xs = trendChart.getDatasetMeta(0).data.map((p) => p.x);
                  const gaps = xs.slice(1).map((v, i) => v - xs[i]);
                  if (gaps.some((g) => Math.abs(g - gaps[0]) > 0.5)) {
                    problems.push('the trend points are not at even steps of time: ' + JSON.stringify(gaps));
                  }
                  const heat = await get('/api/trends?hours=' + hours + '&interval=weekday_hour');
                  const cells = Array.from(document.querySelectorAll('[data-testid=heatmap] td')).map((td) => Number(td.dataset.events));
                  if (JSON.stringify(cells) !== JSON.stringify(heat.points.map((p) => p.events))) {
                    problems.push('the heatmap shows ' + cells.length + ' cells that differ from the API');
                  }
                  const peak = document.querySelector('[data-testid=heatmap-peak]').textContent;
                  if (!heat.peak || !peak.includes(heat.peak.label)) {
                    problems.push('the heatmap names "' + peak + '", the API ' + JSON.stringify(heat.peak));
                  }
                  const csv = { 'csv-funnel': 'segment,step,event_type', 'csv-analytics': 'figure,value',
                                'csv-trends': 'bucket,events,revenue', 'csv-heatmap': 'weekday,hour,events,revenue' };
                  for (const [id, header] of Object.entries(csv)) {
                    const link = document.querySelector('[data-testid=' + id + ']');
                    const r = await fetch(link.href, { credentials: 'same-origin' });
                    const text = await r.text();
                    if (!String(r.headers.get('content-type')).startsWith('text/csv') || !text.split('\\r\\n')[0].startsWith(header)) {
                      problems.push(id + ' gives ' + r.status + ' ' + r.headers.get('content-type') + ': ' + text.slice(0, 60));
                    }
                  }
                  done(problems.join('; '));
                })().catch((e) => done(String(e)));
                """);
        return String.valueOf(problems);
    }

    /** Waits until the demo store's tracker has sent every queued event and the ingest service took them. */
    static void delivered() {
        Object waiting = driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + " Promise.resolve(window.funnelflow.flush()).then(done, e => done(String(e)));");
        assertThat(waiting).as("events the tracker could not deliver").isEqualTo(0L);
    }

    WebElement byTestId(String id) {
        return driver.findElement(By.cssSelector("[data-testid='" + id + "']"));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    long loads() {
        String loads = driver.findElement(By.tagName("body")).getDomAttribute("data-loads");
        return loads == null ? 0 : Long.parseLong(loads);
    }

    long funnelCount(String eventType) {
        Object count = js("const tr = document.querySelector(\"[data-testid='funnel-step-\" + arguments[0] + \"']\");"
                + " return tr ? tr.dataset.count : '0';", eventType);
        return Long.parseLong((String) count);
    }

    /** The live feed's row of a session, read at once: its data attributes, text and probability bars; null without one. */
    @SuppressWarnings("unchecked")
    Map<String, Object> liveRow(String sessionId) {
        return (Map<String, Object>) js("""
                const tr = Array.from(document.querySelectorAll('[data-testid=live-session]'))
                    .find(r => r.dataset.sessionId === arguments[0]);
                return tr ? {purchases: tr.dataset.purchases, furthest_step: tr.dataset.furthestStep,
                             predicted: tr.dataset.predicted, text: tr.innerText,
                             probabilities: tr.querySelectorAll('[data-testid=live-probability]').length} : null;
                """, sessionId);
    }

    static void screenshot(String name) throws IOException {
        File file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(file.toPath(), SCREENSHOTS.resolve(String.format("%02d-%s.png", ++shot, name)), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Takes the current window's console entries and keeps the errors. */
    static void collectConsole(String page) {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            System.out.println("[" + page + " console] " + entry.getLevel() + " " + entry.getMessage());
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                consoleErrors.add(page + ": " + entry.getMessage());
            }
        }
    }
}
