package io.forkcast.supervisor.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The federation settings, read together: the NATS servers ({@code federation_url}, empty for a supervisor alone),
 * this node's name, the credentials file and how long a silent node is waited for. Immutable.
 *
 * @param urls the NATS servers, as written, in order; empty: no federation (today's single supervisor)
 * @param nodeName node_name as written; empty: the host name (Main resolves it)
 * @param credentialsFile federation_credentials_file, or null when there is none
 * @param nodeTimeout a node not heard from for this long has its people shown as left
 */
public record FederationSettings(List<String> urls, String nodeName, Path credentialsFile, Duration nodeTimeout) {
    /** The longest node name: it travels in every federated message. */
    public static final int MAX_NODE_NAME_CHARS = 64;

    /** True when this supervisor shares rooms with others. */
    public boolean enabled() {
        return !urls.isEmpty();
    }

    @SuppressWarnings("unchecked")
    static FederationSettings of(Map<String, Object> values) {
        String file = (String) values.get("federation_credentials_file");
        return new FederationSettings(
                (List<String>) values.get("federation_url"),
                (String) values.get("node_name"),
                file.isEmpty() ? null : Path.of(file),
                (Duration) values.get("federation_node_timeout"));
    }

    /** A comma-separated list of {@code nats://host:port} or {@code tls://host:port} (the port may be left out). */
    static Function<String, Object> urlList() {
        return text -> {
            var urls = new ArrayList<String>();
            for (String part : text.split(",", -1)) {
                String url = part.strip();
                if (url.isEmpty()) {
                    if (text.isBlank()) {
                        continue;
                    }
                    throw new IllegalArgumentException("an empty server in the list: " + text);
                }
                urls.add(checkedUrl(url));
            }
            return List.copyOf(urls);
        };
    }

    private static String checkedUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("nats") && !scheme.equals("tls")) {
            throw new IllegalArgumentException("not nats://host:port or tls://host:port: " + url);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("no host in " + url);
        }
        return url;
    }

    /** Empty (the host name), or 1 to 64 letters, digits, '-', '_' or '.'. */
    static Function<String, Object> nodeNameText() {
        return text -> {
            String problem = nodeNameProblem(text);
            if (problem != null && !text.isEmpty()) {
                throw new IllegalArgumentException(problem);
            }
            return text;
        };
    }

    /** Why {@code name} cannot be a node name, or null when it can. */
    public static String nodeNameProblem(String name) {
        if (name.isEmpty() || name.length() > MAX_NODE_NAME_CHARS) {
            return "a node name has 1 to " + MAX_NODE_NAME_CHARS + " letters, digits, '-', '_' or '.'";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '_' && c != '.') {
                return "a node name has only letters, digits, '-', '_' or '.': " + name;
            }
        }
        return null;
    }
}
