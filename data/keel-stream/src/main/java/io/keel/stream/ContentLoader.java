package io.keel.stream;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Fetches the bytes of an upsert: inline text, a file under {@link ContentConfig#allowedPaths()}, or a URL when
 * {@link ContentConfig#fetchUrls()} is on. Thread-safe.
 */
final class ContentLoader {
    /** The content of one event, its media type and the source citations show. */
    record Loaded(byte[] bytes, String mediaType, String source) {
    }

    private final ContentConfig config;
    private volatile HttpClient http;

    ContentLoader(ContentConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** @throws KeelException {@link ErrorCode#UNPROCESSABLE} when the content cannot be had; the message says why */
    Loaded load(DocumentEvent event) {
        if (event.content() != null) {
            byte[] bytes = event.content().getBytes(StandardCharsets.UTF_8);
            requireSize(bytes.length, "'content'");
            return new Loaded(bytes, event.mediaType() == null ? "text/plain" : event.mediaType(), event.id());
        }
        if (event.path() != null) return file(event);
        return fetch(event);
    }

    private Loaded file(DocumentEvent event) {
        if (config.allowedPaths().isEmpty()) {
            throw unprocessable("'path' events are disabled; list the directories they may read in "
                    + ContentConfig.PREFIX + "allowed_paths, or send the text as 'content'");
        }
        Path path;
        try {
            path = Path.of(event.path()).toAbsolutePath().normalize();
            if (Files.exists(path)) path = path.toRealPath();
        } catch (IOException | RuntimeException e) {
            throw unprocessable("'path' " + event.path() + " is not a usable file path: " + e.getMessage());
        }
        Path resolved = path;
        boolean allowed = config.allowedPaths().stream().anyMatch(root -> resolved.startsWith(realPath(root)));
        if (!allowed) {
            throw unprocessable("'path' " + event.path() + " is outside " + ContentConfig.PREFIX + "allowed_paths "
                    + config.allowedPaths());
        }
        try {
            long size = Files.size(resolved);
            requireSize(size, "file " + event.path());
            return new Loaded(Files.readAllBytes(resolved), mediaType(event.mediaType(), resolved.getFileName().toString(), null),
                    event.path());
        } catch (NoSuchFileException e) {
            throw unprocessable("'path' " + event.path() + " does not exist");
        } catch (IOException e) {
            throw unprocessable("'path' " + event.path() + " cannot be read: " + e.getMessage());
        }
    }

    private Loaded fetch(DocumentEvent event) {
        if (!config.fetchUrls()) {
            throw unprocessable("'url' events are disabled; set " + ContentConfig.PREFIX + "fetch_urls: true, or send "
                    + "the text as 'content'");
        }
        URI uri;
        try {
            uri = URI.create(event.url());
        } catch (IllegalArgumentException e) {
            throw unprocessable("'url' " + event.url() + " is not a valid URI: " + e.getMessage());
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.fetchTimeout()).GET().build();
        try {
            HttpResponse<InputStream> response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    throw unprocessable("fetching " + event.url() + " answered HTTP " + response.statusCode());
                }
                byte[] bytes = in.readNBytes(config.maxBytes() + 1);
                requireSize(bytes.length, "the content of " + event.url());
                String contentType = response.headers().firstValue("Content-Type").orElse(null);
                return new Loaded(bytes, mediaType(event.mediaType(), uri.getPath(), contentType), event.url());
            }
        } catch (IOException e) {
            throw unprocessable("fetching " + event.url() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeelException(ErrorCode.UNAVAILABLE, "interrupted while fetching " + event.url(), e);
        }
    }

    private HttpClient client() {
        HttpClient c = http;
        if (c == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder().connectTimeout(config.fetchTimeout())
                            .followRedirects(HttpClient.Redirect.NORMAL).build();
                }
                c = http;
            }
        }
        return c;
    }

    private void requireSize(long size, String what) {
        if (size > config.maxBytes()) {
            throw unprocessable(what + " is larger than " + ContentConfig.PREFIX + "max_bytes (" + config.maxBytes() + " bytes)");
        }
    }

    /** The declared type, else one implied by the file name, else the server's, else plain text. */
    static String mediaType(String declared, String name, String contentType) {
        if (declared != null) return declared;
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".md") || lower.endsWith(".markdown")) return "text/markdown";
        if (lower.endsWith(".html") || lower.endsWith(".htm")) return "text/html";
        if (lower.endsWith(".txt")) return "text/plain";
        if (contentType != null) {
            String base = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (DocumentEvents.MEDIA_TYPES.contains(base)) return base;
        }
        return "text/plain";
    }

    private static Path realPath(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root;
        }
    }

    private static KeelException unprocessable(String message) {
        return new KeelException(ErrorCode.UNPROCESSABLE, message);
    }
}
