package io.keel.console;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.error.ErrorCode;
import io.keel.http.HttpJson;

/**
 * Serves the console at {@code /console}: the page shell and its scripts, styles and charting library. These files
 * hold no data — every number on a page is fetched from Keel's JSON API with the user's API key, so the routes here
 * are open and access is decided per API route. A path without a file extension is a page of the console
 * ({@code /console/requests}) and gets the shell; an unknown file is a 404.
 */
public final class ConsoleService implements HttpService {
    /**
     * The pages load scripts, styles and data from this server only, and may not be framed. Charts set element
     * styles through the DOM, which a style-src policy does not restrict.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final ConsoleAssets assets;

    public ConsoleService(ConsoleAssets assets) {
        this.assets = assets;
    }

    /** The console with its files from this module's class path. */
    public static ConsoleService fromClassPath() {
        return new ConsoleService(ConsoleAssets.load(ConsoleService.class.getClassLoader()));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/console", (req, res) -> send(req, res, assets.shell(), false))
                .get("/console/{+path}", this::file);
    }

    private void file(ServerRequest req, ServerResponse res) {
        String path = req.path().pathParameters().get("path");
        var asset = assets.find(path);
        if (asset.isPresent()) {
            send(req, res, asset.get(), !path.equals("index.html"));
        } else if (!path.contains(".")) {
            send(req, res, assets.shell(), false);
        } else {
            HttpJson.sendError(res, ErrorCode.NOT_FOUND, "no console file '" + path + "'");
        }
    }

    private static void send(ServerRequest req, ServerResponse res, ConsoleAssets.Asset asset, boolean revalidate) {
        res.header(HeaderNames.CONTENT_TYPE, asset.contentType());
        res.header(HeaderNames.ETAG, asset.etag());
        res.header(HeaderNames.CACHE_CONTROL, revalidate ? "no-cache" : "no-store");
        res.header("Content-Security-Policy", CSP);
        res.header("X-Content-Type-Options", "nosniff");
        res.header("Referrer-Policy", "no-referrer");
        if (req.headers().contains(HeaderNames.IF_NONE_MATCH)
                && req.headers().get(HeaderNames.IF_NONE_MATCH).allValues().contains(asset.etag())) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.status(Status.OK_200).send(asset.bytes());
    }
}
