package io.funnelflow.aggregator.signin;

import io.funnelflow.contract.credential.Credential;
import io.funnelflow.service.limit.ClientAddress;
import io.funnelflow.service.limit.KeyedRateLimit;
import io.funnelflow.service.problem.Problems;
import io.funnelflow.service.security.ApiTokenValidator;
import io.funnelflow.service.security.Credentials;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.csrf.repository.CsrfTokenRepository;
import io.micronaut.security.handlers.LoginHandler;
import io.micronaut.security.rules.SecurityRule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signing in to the dashboard: {@code GET /signin} is a page with one password field for an API token;
 * {@code POST /signin} checks the token and opens a session (a signed cookie the page's scripts cannot
 * read, plus the CSRF cookie); {@code GET /api/session} tells the page who it is and the CSRF token to
 * send with state-changing calls. Signing out is {@code POST /signout}. Sign-in attempts are limited per client
 * address ({@code FUNNELFLOW_SIGNIN_ATTEMPTS_PER_MINUTE}): guessing tokens is slow, whoever guesses.
 */
@Controller
public class SignInController {

    /** Longest form field taken: a token is 49 characters. */
    static final int MAX_TOKEN_LENGTH = 512;
    private static final String FAILED = "<p class=\"signin-error\" role=\"alert\">That token is not valid (or has been revoked).</p>";

    private final Credentials credentials;
    private final LoginHandler<HttpRequest<?>, MutableHttpResponse<?>> login;
    private final List<CsrfTokenRepository<HttpRequest<?>>> csrfTokens;
    private final String page;
    private final ClientAddress clientAddress;
    private final KeyedRateLimit attempts;

    public SignInController(Credentials credentials, LoginHandler<HttpRequest<?>, MutableHttpResponse<?>> login,
                            List<CsrfTokenRepository<HttpRequest<?>>> csrfTokens, ResourceResolver resources,
                            ClientAddress clientAddress,
                            @Value("${funnelflow.dashboard.signin-attempts-per-minute:10}") long attemptsPerMinute) {
        this.credentials = credentials;
        this.clientAddress = clientAddress;
        this.attempts = new KeyedRateLimit(attemptsPerMinute, attemptsPerMinute, Duration.ofMinutes(1), 100_000);
        this.login = login;
        this.csrfTokens = csrfTokens;
        this.page = read(resources);
    }

    @Get(value = "/signin", produces = MediaType.TEXT_HTML)
    @Secured(SecurityRule.IS_ANONYMOUS)
    HttpResponse<String> page() {
        return HttpResponse.ok(page.replace("<!--message-->", "")).header("Cache-Control", "no-store");
    }

    @Post(value = "/signin", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured(SecurityRule.IS_ANONYMOUS)
    MutableHttpResponse<?> signIn(HttpRequest<?> request, @Body Map<String, String> form) {
        var wait = attempts.tryAcquire(clientAddress.of(request), 1);
        if (wait.isPresent()) {
            long seconds = KeyedRateLimit.seconds(wait.get());
            return Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too many sign-in attempts").retryAfter(seconds)
                    .reason("this address has tried to sign in too often; retry after " + seconds + " s").response();
        }
        String token = form.getOrDefault("token", "").trim();
        Optional<Credential> valid = token.length() > MAX_TOKEN_LENGTH ? Optional.empty() : credentials.apiToken(token);
        if (valid.isEmpty()) {
            return HttpResponse.<String>status(HttpStatus.UNAUTHORIZED).body(page.replace("<!--message-->", FAILED))
                    .contentType(MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-store");
        }
        return login.loginSuccess(ApiTokenValidator.authentication(valid.get()), request);
    }

    /** Who the page is signed in as, and the CSRF token its state-changing calls carry in {@code X-CSRF-TOKEN}. */
    @Get("/api/session")
    Map<String, Object> session(HttpRequest<?> request, Authentication authentication) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token_id", authentication.getName());
        out.put("scope", authentication.getAttributes().getOrDefault(ApiTokenValidator.SCOPE, ""));
        out.put("label", authentication.getAttributes().getOrDefault(ApiTokenValidator.LABEL, ""));
        csrfTokens.stream().map(r -> r.findCsrfToken(request)).flatMap(Optional::stream).findFirst()
                .ifPresent(csrf -> out.put("csrf_token", csrf));
        return out;
    }

    private static String read(ResourceResolver resources) {
        try (InputStream in = resources.getResourceAsStream("classpath:signin/signin.html")
                .orElseThrow(() -> new IllegalStateException("signin/signin.html is missing from the classpath"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
