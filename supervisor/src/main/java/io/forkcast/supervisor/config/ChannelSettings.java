package io.forkcast.supervisor.config;

import io.forkcast.protocol.text.RoomNames;
import io.forkcast.supervisor.route.ChannelRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The parser of {@code channels}: broker channels whose receiver limit or store-and-forward differ from {@code
 * channel_receivers_max} and {@code keep_data}, separated by commas, each {@code NAME [receivers=N]
 * [keep_data=on|off]} (for example {@code sms receivers=1, audit receivers=0 keep_data=on}). Names follow {@link
 * RoomNames} (a channel is a room), a leading {@code #} is dropped, each name once. Stateless.
 */
final class ChannelSettings {
    /** The most receivers a limit may name; more is a typo. */
    static final int MAX_RECEIVERS = 100_000;

    private static final Pattern SPACES = Pattern.compile("\\s+");

    private ChannelSettings() {}

    static Function<String, Object> list() {
        return ChannelSettings::parse;
    }

    static List<ChannelRule> parse(String text) {
        var rules = new ArrayList<ChannelRule>();
        var keys = new HashSet<String>();
        if (text.isBlank()) {
            return List.of();
        }
        for (String entry : text.split(",", -1)) {
            var words = SPACES.split(entry.strip(), -1);
            if (words.length == 0 || words[0].isEmpty()) {
                throw new IllegalArgumentException("an empty channel entry (two commas, or one at an end)");
            }
            String name = RoomNames.strip(words[0]);
            String problem = RoomNames.problem(name);
            if (problem != null) {
                throw new IllegalArgumentException("channel " + words[0] + ": " + problem);
            }
            if (!keys.add(RoomNames.key(name))) {
                throw new IllegalArgumentException("channel " + name + " is named twice");
            }
            int receivers = -1;
            Boolean keep = null;
            for (int i = 1; i < words.length; i++) {
                String word = words[i];
                if (word.startsWith("receivers=")) {
                    receivers = receivers(name, word.substring("receivers=".length()));
                } else if (word.equals("keep_data=on")) {
                    keep = true;
                } else if (word.equals("keep_data=off")) {
                    keep = false;
                } else {
                    throw new IllegalArgumentException(
                            "channel " + name + ": " + word + " is not receivers=N or keep_data=on|off");
                }
            }
            rules.add(new ChannelRule(name, receivers, keep));
        }
        return List.copyOf(rules);
    }

    private static int receivers(String channel, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0 && n <= MAX_RECEIVERS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the channel.
        }
        throw new IllegalArgumentException(
                "channel " + channel + ": receivers=" + value + " is not a whole number in 0.." + MAX_RECEIVERS);
    }
}
