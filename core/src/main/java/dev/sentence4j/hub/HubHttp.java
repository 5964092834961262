package dev.sentence4j.hub;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Hub's public HTTP API, as much as a download needs: a revision's file list
 * ({@code /api/models/{repo}/revision/{revision}?blobs=true}), a file's metadata ({@code HEAD} on
 * {@code /{repo}/resolve/{revision}/{path}}: {@code X-Repo-Commit}, {@code X-Linked-Etag} or
 * {@code ETag}, {@code X-Linked-Size} or {@code Content-Length}) and its content (the same URL,
 * following redirects to the CDN, resumable with {@code Range}). Failures become {@link HubException}s
 * that say what to do.
 */
final class HubHttp {
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    /** How long a download may stall before it counts as interrupted. */
    private static final int READ_TIMEOUT_MS = 30_000;
    private static final int MAX_REDIRECTS = 10;
    private static final String USER_AGENT = "sentence4j; java/" + System.getProperty("java.version");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");

    private final String endpoint;
    private final String token;

    HubHttp(URI endpoint, String token) {
        this.endpoint = endpoint.toString().replaceAll("/+$", "");
        this.token = token;
    }

    /** The files of a repository at a revision (branch, tag or commit), and the commit it resolves to. */
    RepoListing listing(String repo, String revision) {
        String url = endpoint + "/api/models/" + repo + "/revision/" + encode(revision) + "?blobs=true";
        String what = "the files of " + repo + " at revision " + revision;
        HttpURLConnection connection = send("GET", url, 0, what);
        try {
            int status = connection.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                throw failure(connection, status, repo, revision, null);
            }
            try (InputStream in = connection.getInputStream()) {
                return RepoListing.parse(in, endpoint + " (" + what + ")");
            }
        } catch (IOException e) {
            throw unreachable(what, e);
        }
    }

    /** A file's size and blob name from the headers of its resolve URL, for a listing that lacks them. */
    RemoteFile metadata(String repo, String commit, String path) {
        String what = path + " of " + repo + " at " + commit;
        HttpURLConnection connection = open("HEAD", resolveUrl(repo, commit, path), 0, what);
        try {
            int status = connection.getResponseCode();
            // LFS files redirect to the CDN; the redirect itself carries what the cache needs.
            if (status >= 400) {
                throw failure(connection, status, repo, commit, path);
            }
            String etag = header(connection, "X-Linked-Etag", "ETag");
            String size = header(connection, "X-Linked-Size", "Content-Length");
            if (etag == null || size == null) {
                throw new HubException(endpoint + " gave no ETag or size for " + what + "; is it a Hugging Face Hub?");
            }
            return new RemoteFile(path, Long.parseLong(size.strip()), normalizeEtag(etag));
        } catch (NumberFormatException e) {
            throw new HubException(endpoint + " gave a size that is not a number for " + what, e);
        } catch (IOException e) {
            throw unreachable(what, e);
        } finally {
            connection.disconnect();
        }
    }

    /**
     * Starts downloading a file from byte {@code from} on; the server may answer with the whole file.
     *
     * @throws HubException if the Hub cannot be reached or refuses
     */
    Body download(String repo, String commit, String path, long from) {
        String what = path + " of " + repo + " at " + commit;
        HttpURLConnection connection = send("GET", resolveUrl(repo, commit, path), from, what);
        try {
            int status = connection.getResponseCode();
            long start = 0;
            if (status == HttpURLConnection.HTTP_PARTIAL) {
                String contentRange = Objects.requireNonNullElse(connection.getHeaderField("Content-Range"), "");
                Matcher range = CONTENT_RANGE.matcher(contentRange);
                if (!range.matches() || Long.parseLong(range.group(1)) != from) {
                    connection.disconnect();
                    throw new HubException("the Hub answered a request for " + what + " from byte " + from
                            + " with Content-Range '" + contentRange + "'");
                }
                start = from;
            } else if (status != HttpURLConnection.HTTP_OK) {
                throw failure(connection, status, repo, commit, path);
            }
            return new Body(start, connection.getInputStream());
        } catch (IOException e) {
            throw unreachable(what, e);
        }
    }

    /** A response body and where in the file it starts. */
    record Body(long start, InputStream stream) implements Closeable {
        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    /** Sends a request, following redirects; answers of 400 and above are the caller's to read. */
    private HttpURLConnection send(String method, String url, long from, String what) {
        HttpURLConnection connection = open(method, url, from, what);
        boolean authorized = token != null;
        try {
            for (int hops = 0; isRedirect(connection.getResponseCode()); hops++) {
                String location = connection.getHeaderField("Location");
                if (location == null || hops == MAX_REDIRECTS) {
                    throw new HubException("the Hub redirected the request for " + what + " "
                            + (location == null ? "without a Location" : "more than " + MAX_REDIRECTS + " times"));
                }
                URL next = new URL(connection.getURL(), location);
                drain(connection);
                // The token is for the Hub alone: a CDN gets a signed URL and must not see it.
                authorized &= sameOrigin(next, connection.getURL());
                connection = connect(method, next, from, authorized);
            }
            return connection;
        } catch (IOException e) {
            throw unreachable(what, e);
        }
    }

    private HttpURLConnection open(String method, String url, long from, String what) {
        try {
            return connect(method, new URL(url), from, token != null);
        } catch (IOException e) {
            throw unreachable(what, e);
        }
    }

    private HttpURLConnection connect(String method, URL url, long from, boolean authorize) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        connection.setRequestMethod(method);
        connection.setInstanceFollowRedirects(false);
        connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
        connection.setReadTimeout(READ_TIMEOUT_MS);
        connection.setRequestProperty("User-Agent", USER_AGENT);
        // Sizes and hashes are of the file itself, not of a compressed transfer.
        connection.setRequestProperty("Accept-Encoding", "identity");
        if (authorize && token != null) {
            connection.setRequestProperty("Authorization", "Bearer " + token);
        }
        if (from > 0) {
            connection.setRequestProperty("Range", "bytes=" + from + "-");
        }
        return connection;
    }

    private HubException failure(HttpURLConnection connection, int status, String repo, String revision, String path) {
        String code = Objects.requireNonNullElse(connection.getHeaderField("X-Error-Code"), "");
        String hubMessage = connection.getHeaderField("X-Error-Message");
        drain(connection);
        String at = " at revision " + revision;
        if (status == HttpURLConnection.HTTP_UNAUTHORIZED || status == HttpURLConnection.HTTP_FORBIDDEN
                || code.equals("GatedRepo")) {
            String tokenAdvice = token == null
                    ? "set HF_TOKEN (or log in with huggingface-cli login) to a token that can read it"
                    : "the token sent cannot read it: accept the model's terms on its Hub page, or set HF_TOKEN to a token that can";
            String notFound = status == HttpURLConnection.HTTP_UNAUTHORIZED ? ", or does not exist" : "";
            return new HubException(repo + " is private or gated" + notFound + " (HTTP " + status + " from " + endpoint + "): "
                    + tokenAdvice);
        }
        if (status == HttpURLConnection.HTTP_NOT_FOUND) {
            if (code.equals("RevisionNotFound")) {
                return new HubException(repo + " has no revision '" + revision + "' (a branch, tag or commit) on " + endpoint);
            }
            if (code.equals("EntryNotFound") || (path != null && !code.equals("RepoNotFound"))) {
                return new HubException(repo + " has no file " + path + at + " on " + endpoint);
            }
            return new HubException("no model repository " + repo + " on " + endpoint + "; check the id");
        }
        return new HubException("the Hub at " + endpoint + " answered HTTP " + status + " for "
                + (path == null ? "the files of " + repo : path + " of " + repo) + at
                + (hubMessage == null ? "" : ": " + hubMessage) + "; try again later");
    }

    private HubException unreachable(String what, IOException e) {
        String reason;
        if (e instanceof UnknownHostException) {
            reason = "unknown host " + e.getMessage();
        } else if (e instanceof ConnectException) {
            reason = "connection refused";
        } else if (e instanceof SocketTimeoutException) {
            reason = "no answer in time";
        } else {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new HubException("cannot reach the Hugging Face Hub at " + endpoint + " for " + what + " (" + reason
                + "); check the network, or set HF_HUB_OFFLINE=1 to use only the cache", e);
    }

    private String resolveUrl(String repo, String revision, String path) {
        String encodedPath = Arrays.stream(path.split("/")).map(HubHttp::encode).collect(Collectors.joining("/"));
        return endpoint + "/" + repo + "/resolve/" + encode(revision) + "/" + encodedPath;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** As huggingface_hub: without a weak marker and quotes. */
    static String normalizeEtag(String etag) {
        String stripped = etag.strip();
        if (stripped.startsWith("W/")) {
            stripped = stripped.substring(2);
        }
        return stripped.replace("\"", "");
    }

    /** The first of these headers the response has, or {@code null}. */
    private static String header(HttpURLConnection connection, String... names) {
        for (String name : names) {
            String value = connection.getHeaderField(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameOrigin(URL a, URL b) {
        return a.getProtocol().equalsIgnoreCase(b.getProtocol())
                && a.getHost().toLowerCase(Locale.ROOT).equals(b.getHost().toLowerCase(Locale.ROOT))
                && a.getPort() == b.getPort();
    }

    /** Reads what is left of a response, so that its connection can serve the next request. */
    private static void drain(HttpURLConnection connection) {
        try (InputStream in = connection.getResponseCode() >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            if (in != null) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        } catch (IOException e) {
            connection.disconnect();
        }
    }
}
