package dev.sentence4j.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a repository at one commit, from the Hub's model API
 * ({@code GET /api/models/{repo}/revision/{revision}?blobs=true}): {@code sha} is the commit,
 * {@code siblings} the files, each with {@code rfilename}, {@code size}, {@code blobId} (git sha1) and,
 * for LFS files, {@code lfs.sha256} and {@code lfs.size}.
 *
 * @param commit the commit hash the revision resolved to
 * @param files the files by path
 */
record RepoListing(String commit, Map<String, RemoteFile> files) {
    private static final ObjectMapper JSON = new ObjectMapper();

    RepoListing {
        files = Map.copyOf(files);
    }

    /**
     * Reads the model API's answer.
     *
     * @param source what was asked, for messages
     * @throws HubException if the answer is not the JSON the Hub gives
     */
    static RepoListing parse(InputStream in, String source) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (IOException e) {
            throw new HubException(source + " gave an answer that is not JSON: " + e.getMessage(), e);
        }
        String commit = root == null ? "" : root.path("sha").asText("");
        if (!RepoCache.isCommitHash(commit)) {
            throw new HubException(source + " gave no commit hash ('sha'); is the endpoint a Hugging Face Hub?");
        }
        Map<String, RemoteFile> files = new LinkedHashMap<>();
        for (JsonNode sibling : root.path("siblings")) {
            String path = sibling.path("rfilename").asText("");
            if (path.isEmpty()) {
                continue;
            }
            JsonNode lfs = sibling.get("lfs");
            boolean large = lfs != null && lfs.isObject();
            String etag = large ? lfs.path("sha256").asText(null) : sibling.path("blobId").asText(null);
            long size = (large ? lfs : sibling).path("size").asLong(-1);
            files.put(path, new RemoteFile(path, size, etag));
        }
        return new RepoListing(commit, files);
    }

    /** The paths of all files, in the Hub's order. */
    List<String> paths() {
        return files.keySet().stream().sorted().toList();
    }
}
