package org.msglite.server.bus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.msglite.server.http.HttpException;

/**
 * Static files: from the docroot when one is given, else the bundled chat demo under
 * {@code /chat/} from the classpath. Every path segment must be a plain name (no {@code .},
 * {@code ..}, empty, or encoded slash or backslash, whatever the encoding), and the real path
 * (symlinks resolved) must stay under the real docroot, so no request reaches outside it.
 * Files are read whole on the loop thread, so they are capped at {@link #MAX_FILE_BYTES}:
 * the docroot is for a page and its assets, not for downloads.
 */
final class StaticFiles {
    static final long MAX_FILE_BYTES = 8 * 1024 * 1024;
    private static final String BUNDLE = "/org/msglite/server/bus/";
    private static final String BUNDLED_DIRECTORY = "chat";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("xml", "application/xml"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"), Map.entry("wasm", "application/wasm"), Map.entry("woff2", "font/woff2"),
            Map.entry("woff", "font/woff"), Map.entry("map", "application/json"), Map.entry("pdf", "application/pdf"),
            Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"));

    /** A file to send. */
    record File(String contentType, byte[] content) {}

    private final Path root;

    /** @param docroot the directory to serve, or {@code null} for the bundled demo */
    StaticFiles(Path docroot) throws IOException {
        if (docroot == null) {
            this.root = null;
            return;
        }
        if (!Files.isDirectory(docroot)) {
            throw new IOException("-bus-docroot " + docroot + " is not a directory");
        }
        this.root = docroot.toRealPath();
    }

    boolean hasDocroot() {
        return root != null;
    }

    /**
     * True if {@code segments} name a regular file under the docroot: such a path is a file even
     * where it could be a topic. Never throws: a name that is not a safe file is simply not one.
     */
    boolean isFile(List<String> segments) {
        if (root == null || !safe(segments)) {
            return false;
        }
        Path real = realUnderRoot(segments);
        return real != null && Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS);
    }

    /** The file for {@code segments} ({@code index.html} for a directory); 400 for a traversal attempt, 404 if none. */
    File find(List<String> segments) throws HttpException {
        if (!safe(segments)) {
            throw new HttpException(400, "path segments must be plain names (no '.', '..', empty or encoded slashes)");
        }
        return root == null ? bundled(segments) : fromDocroot(segments);
    }

    private File fromDocroot(List<String> segments) throws HttpException {
        Path real = realUnderRoot(segments);
        if (real != null && Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            real = realUnderRoot(append(segments, "index.html"));
        }
        if (real == null || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new HttpException(404, "no such file");
        }
        try {
            if (Files.size(real) > MAX_FILE_BYTES) {
                throw new HttpException(403, "file larger than " + MAX_FILE_BYTES + " bytes");
            }
            return new File(typeOf(real.getFileName().toString()), Files.readAllBytes(real));
        } catch (IOException e) {
            throw new HttpException(404, "cannot read the file");
        }
    }

    private File bundled(List<String> segments) throws HttpException {
        if (segments.isEmpty() || !segments.get(0).equals(BUNDLED_DIRECTORY)) {
            throw new HttpException(404, "no such file (no -bus-docroot; the chat demo is at /chat/)");
        }
        List<String> path = segments.size() == 1 ? append(segments, "index.html") : segments;
        String name = BUNDLE + String.join("/", path);
        try (InputStream in = StaticFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new HttpException(404, "no such file");
            }
            return new File(typeOf(name), in.readAllBytes());
        } catch (IOException e) {
            throw new HttpException(404, "no such file");
        }
    }

    /** The real path of the named file if it exists and lies under the real docroot, else {@code null}. */
    private Path realUnderRoot(List<String> segments) {
        Path candidate = root;
        for (String segment : segments) {
            candidate = candidate.resolve(segment);
        }
        try {
            Path real = candidate.toRealPath();
            return real.startsWith(root) ? real : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean safe(List<String> segments) {
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || s.indexOf('\\') >= 0
                    || s.indexOf('\0') >= 0) {
                return false;
            }
        }
        return true;
    }

    private static List<String> append(List<String> segments, String name) {
        List<String> result = new java.util.ArrayList<>(segments);
        result.add(name);
        return result;
    }

    static String typeOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String extension = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }
}
