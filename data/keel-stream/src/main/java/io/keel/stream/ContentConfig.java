package io.keel.stream;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where events may take their content from besides inline text. Both alternatives are off by default: a path lets a
 * sender read files of the Keel host and a URL lets it make Keel issue requests, so each is enabled on purpose.
 *
 * @param allowedPaths directories whose files {@code "path"} events may name (after resolving {@code ..} and links);
 *                     empty disables path events
 * @param fetchUrls    whether {@code "url"} events are fetched
 * @param fetchTimeout connect and read timeout of a fetch
 * @param maxBytes     largest content accepted from any source, inline text included (default 1 MiB)
 * @param maxChunks    most chunks one document may be cut into (default 1,000); a larger one is rejected before
 *                     anything is embedded, so one document cannot hold the embedder for minutes
 */
public record ContentConfig(List<Path> allowedPaths, boolean fetchUrls, Duration fetchTimeout, int maxBytes, int maxChunks) {
    public static final String PREFIX = "streaming.content.";
    public static final ContentConfig DEFAULTS = new ContentConfig(List.of(), false, Duration.ofSeconds(10), 1024 * 1024, 1_000);

    public ContentConfig {
        allowedPaths = allowedPaths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        Objects.requireNonNull(fetchTimeout, "fetchTimeout");
        if (fetchTimeout.isNegative() || fetchTimeout.isZero()) throw KeelException.invalid(PREFIX + "fetch_timeout must be > 0");
        if (maxBytes <= 0) throw KeelException.invalid(PREFIX + "max_bytes must be > 0; got " + maxBytes);
        if (maxChunks <= 0) throw KeelException.invalid(PREFIX + "max_chunks must be > 0; got " + maxChunks);
    }

    /**
     * Reads the {@code streaming.content} section: {@code allowed_paths} (a list, or a comma-separated string, of
     * existing directories), {@code fetch_urls} (boolean), {@code fetch_timeout} (a duration, default 10s) and
     * {@code max_bytes} and {@code max_chunks}; absent keys keep {@link #DEFAULTS}.
     *
     * @throws KeelException naming the full key of the first invalid value
     */
    public static ContentConfig from(ConfigNode node) {
        node.replaced("fetch_timeout_ms", "fetch_timeout: 10s");
        List<Path> paths = new ArrayList<>();
        for (String s : node.strings("allowed_paths")) {
            Path p = Path.of(s);
            if (!Files.isDirectory(p)) throw node.error("allowed_paths", "names '" + s + "', which is not an existing directory");
            paths.add(p);
        }
        return new ContentConfig(paths,
                node.bool("fetch_urls", DEFAULTS.fetchUrls()),
                node.duration("fetch_timeout", DEFAULTS.fetchTimeout(), Duration.ofMillis(1), Duration.ofMinutes(10)),
                node.integer("max_bytes", DEFAULTS.maxBytes(), 1, Integer.MAX_VALUE - 8),
                node.integer("max_chunks", DEFAULTS.maxChunks(), 1, 10_000_000));
    }

    /** Path events limited to files under {@code roots}. */
    public ContentConfig withAllowedPaths(Path... roots) {
        return new ContentConfig(List.of(roots), fetchUrls, fetchTimeout, maxBytes, maxChunks);
    }

    public ContentConfig withFetchUrls(boolean fetch) {
        return new ContentConfig(allowedPaths, fetch, fetchTimeout, maxBytes, maxChunks);
    }

    /** The same sources with other size limits. */
    public ContentConfig withLimits(int bytes, int chunks) {
        return new ContentConfig(allowedPaths, fetchUrls, fetchTimeout, bytes, chunks);
    }
}
