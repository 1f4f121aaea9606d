package io.forkcast.supervisor.route;

/**
 * What the configuration says of one broker channel, overriding {@code channel_receivers_max} and {@code
 * keep_data} for it ({@code channels = sms receivers=1 keep_data=off, ...}). Immutable.
 *
 * @param name the channel as configured ({@code #} dropped)
 * @param receiversMax how many receivers get each message, 0 for all; -1 when the rule leaves the default
 * @param keepData whether messages wait in the store for a receiver; null when the rule leaves the default
 */
public record ChannelRule(String name, int receiversMax, Boolean keepData) {}
