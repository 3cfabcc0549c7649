package io.funnelflow.ingest.browser;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.server.cors.CrossOrigin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Serves the browser tracker, {@code /funnelflow.js}, to any site: cached for a few minutes and then
 * revalidated by its ETag, so that a new version reaches every shop soon without each page view
 * downloading it again.
 */
@Controller
public class TrackerScriptController {

    static final String RESOURCE = "tracker/funnelflow.js";
    static final MediaType JAVASCRIPT = MediaType.of("text/javascript; charset=utf-8");
    static final String CACHE_CONTROL = "public, max-age=300";

    private final byte[] script;
    private final String etag;

    public TrackerScriptController() {
        this.script = read(RESOURCE);
        this.etag = "\"" + sha256(script).substring(0, 16) + "\"";
    }

    /** Any origin may load it; no credentials are involved. */
    @Get("/funnelflow.js")
    @CrossOrigin(allowedOriginsRegex = ".*", allowCredentials = false)
    HttpResponse<byte[]> script(@Nullable @Header(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        if (etag.equals(ifNoneMatch)) {
            return HttpResponse.<byte[]>status(HttpStatus.NOT_MODIFIED)
                    .header(HttpHeaders.ETAG, etag)
                    .header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
        }
        return HttpResponse.ok(script)
                .contentType(JAVASCRIPT)
                .header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL)
                .header("X-Content-Type-Options", "nosniff");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = TrackerScriptController.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
