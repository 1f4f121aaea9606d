package io.forkcast.supervisor.route;

import io.forkcast.protocol.text.RoomNames;
import java.util.List;

/**
 * What the configuration says of one broker channel, overriding {@code channel_receivers_max} and {@code
 * keep_data} for it ({@code channels = sms receivers=1 keep_data=off, ...}). Immutable.
 *
 * @param name the channel as configured ({@code #} dropped)
 * @param receiversMax how many receivers get each message, 0 for all; -1 when the rule leaves the default
 * @param keepData whether messages wait in the store for a receiver; null when the rule leaves the default
 */
public record ChannelRule(String name, int receiversMax, Boolean keepData) {
    /** The receiver limit of the channel {@code key} under {@code rules}, or {@code fallback} when none says. */
    static int receiversMax(List<ChannelRule> rules, String key, int fallback) {
        for (var rule : rules) {
            if (rule.receiversMax() >= 0 && RoomNames.key(rule.name()).equals(key)) {
                return rule.receiversMax();
            }
        }
        return fallback;
    }

    /** Whether the channel {@code key} keeps its messages under {@code rules}, or {@code fallback}. */
    static boolean keepData(List<ChannelRule> rules, String key, boolean fallback) {
        for (var rule : rules) {
            if (rule.keepData() != null && RoomNames.key(rule.name()).equals(key)) {
                return rule.keepData();
            }
        }
        return fallback;
    }
}
