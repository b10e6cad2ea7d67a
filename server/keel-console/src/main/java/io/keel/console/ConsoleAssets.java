package io.keel.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The console's files, read once from the class path into memory: the pages under {@code io/keel/console/web/} and
 * the charting library from its webjar. Only the files listed here are served, so no request path can reach any other
 * resource; a listed file that is missing fails at startup, not at the first page view.
 */
public final class ConsoleAssets {
    /** The console's own files, relative to {@code /console/}. */
    static final List<String> FILES = List.of(
            "index.html", "console.css", "app.js", "api.js", "dom.js", "charts.js",
            "pages/overview.js", "pages/requests.js", "pages/models.js", "pages/guards.js", "pages/experiments.js",
            "pages/ingestion.js");
    private static final String WEB = "io/keel/console/web/";
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    /** A file as served: its bytes, content type and strong ETag. */
    public record Asset(byte[] bytes, String contentType, String etag) {
    }

    private final Map<String, Asset> assets;

    private ConsoleAssets(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    /** Loads every file of the console and of uPlot from {@code loader}. */
    public static ConsoleAssets load(ClassLoader loader) {
        Map<String, Asset> out = new LinkedHashMap<>();
        for (String f : FILES) out.put(f, asset(loader, WEB + f, f));
        String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion(loader) + "/dist/";
        out.put("lib/uPlot.esm.js", asset(loader, uplot + "uPlot.esm.js", "uPlot.esm.js"));
        out.put("lib/uPlot.min.css", asset(loader, uplot + "uPlot.min.css", "uPlot.min.css"));
        return new ConsoleAssets(out);
    }

    /** The file at {@code path} (relative to {@code /console/}), if it is one of the console's. */
    public Optional<Asset> find(String path) {
        return Optional.ofNullable(assets.get(path));
    }

    /** The page shell, which every client-side route of the console loads. */
    public Asset shell() {
        return assets.get("index.html");
    }

    private static String uplotVersion(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(UPLOT_POM)) {
            if (in == null) throw new IllegalStateException("the uPlot webjar (org.webjars.npm:uplot) is not on the class path");
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Asset asset(ClassLoader loader, String resource, String name) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("the console file " + resource + " is missing from the class path");
            byte[] bytes = in.readAllBytes();
            return new Asset(bytes, contentType(name), '"' + HexFormat.of().formatHex(sha256(bytes), 0, 8) + '"');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String contentType(String name) {
        String charset = "; charset=" + StandardCharsets.UTF_8.name().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".html")) return "text/html" + charset;
        if (name.endsWith(".js")) return "text/javascript" + charset;
        if (name.endsWith(".css")) return "text/css" + charset;
        throw new IllegalArgumentException("no content type for " + name);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
