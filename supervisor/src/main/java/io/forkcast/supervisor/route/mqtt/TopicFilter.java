package io.forkcast.supervisor.route.mqtt;

/**
 * MQTT topic names and filters (sections 4.7 and 4.8): which filters are valid, which topics a filter matches, and
 * shared subscriptions ({@code $share/group/filter}). {@code +} matches one level, {@code #} the rest including the
 * parent level ({@code a/#} matches {@code a}), and a topic starting with {@code $} is not matched by a filter
 * starting with a wildcard. Stateless.
 */
public final class TopicFilter {
    private static final String SHARE = "$share/";

    private TopicFilter() {}

    /** True for a topic a client may publish to: not empty, no wildcards, no NUL. */
    public static boolean validTopic(String topic) {
        return topic != null
                && !topic.isEmpty()
                && topic.indexOf('+') < 0
                && topic.indexOf('#') < 0
                && topic.indexOf('\0') < 0;
    }

    /** True for a filter a client may subscribe to, shared or not. */
    public static boolean validFilter(String filter) {
        if (filter == null || filter.isEmpty() || filter.indexOf('\0') >= 0) {
            return false;
        }
        if (filter.startsWith(SHARE)) {
            int slash = filter.indexOf('/', SHARE.length());
            if (slash <= SHARE.length()) {
                return false; // no group name, or no filter after it
            }
            String group = filter.substring(SHARE.length(), slash);
            if (group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
                return false;
            }
            return validPlain(filter.substring(slash + 1));
        }
        return validPlain(filter);
    }

    private static boolean validPlain(String filter) {
        if (filter.isEmpty()) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.indexOf('#') >= 0 && (!level.equals("#") || i != levels.length - 1)) {
                return false; // '#' alone, and only as the last level
            }
            if (level.indexOf('+') >= 0 && !level.equals("+")) {
                return false; // '+' alone in its level
            }
        }
        return true;
    }

    /** True when {@code filter} is {@code $share/group/...}. */
    public static boolean isShared(String filter) {
        return filter.startsWith(SHARE) && filter.indexOf('/', SHARE.length()) > SHARE.length();
    }

    /** The group of a shared filter. */
    public static String group(String sharedFilter) {
        return sharedFilter.substring(SHARE.length(), sharedFilter.indexOf('/', SHARE.length()));
    }

    /** The filter a subscription matches topics with: a shared one without its {@code $share/group/}. */
    public static String matchPart(String filter) {
        return isShared(filter) ? filter.substring(filter.indexOf('/', SHARE.length()) + 1) : filter;
    }

    /** Whether the valid, unshared filter {@code filter} matches the topic name {@code topic}. */
    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        int f = 0;
        int t = 0;
        int fl = filter.length();
        int tl = topic.length();
        while (true) {
            int fEnd = filter.indexOf('/', f);
            if (fEnd < 0) {
                fEnd = fl;
            }
            String level = filter.substring(f, fEnd);
            if (level.equals("#")) {
                return true; // the rest, and the parent level too
            }
            if (t > tl) {
                return false; // the topic ended, the filter goes on
            }
            int tEnd = topic.indexOf('/', t);
            if (tEnd < 0) {
                tEnd = tl;
            }
            if (!level.equals("+") && !level.contentEquals(topic.subSequence(t, tEnd))) {
                return false;
            }
            boolean filterDone = fEnd == fl;
            boolean topicDone = tEnd == tl;
            if (filterDone && topicDone) {
                return true;
            }
            if (filterDone) {
                return false;
            }
            f = fEnd + 1;
            t = topicDone ? tl + 1 : tEnd + 1;
            if (t > tl && !filter.startsWith("#", f)) {
                return false;
            }
        }
    }
}
