package io.forkcast.supervisor.admin;

import io.forkcast.supervisor.admin.AdminOps.ClientSnapshot;
import io.forkcast.supervisor.meter.ProcessUsage;

/**
 * One client as {@code LIST}, {@code LIST JSON} and {@code TOP} show it. The usage fields come last on a line, so
 * that parsers of the older lines keep working; a worker not sampled yet shows {@code -} (JSON: null). Stateless.
 */
final class ClientFormat {
    private ClientFormat() {}

    /**
     * {@code <id> <ip>:<port> pid= name= age= idle= in= out= queued= room= user= cpu= rss= pss= threads= fds= kind=}.
     */
    static String line(ClientSnapshot c) {
        return c.id() + " " + c.peer() + " pid=" + c.pid() + " name=" + orDash(c.nick()) + " age=" + c.ageSeconds()
                + " idle=" + c.idleSeconds() + " in=" + c.linesIn() + " out=" + c.linesOut() + " queued="
                + c.queuedBytes() + " room=" + orDash(c.room()) + " user=" + orDash(c.user()) + usage(c.usage())
                + " kind=" + orDash(c.kind()) + broker(c);
    }

    /**
     * {@code role= channel=}, after kind= on the line of a broker client; {@code client_id= subscriptions=} on an
     * MQTT client's; nothing for others.
     */
    private static String broker(ClientSnapshot c) {
        if ("mqtt".equals(c.kind())) {
            return " client_id=" + orDash(c.mqttClientId()) + " subscriptions=" + c.mqttSubscriptions();
        }
        if (!"broker".equals(c.kind())) {
            return "";
        }
        return " role=" + orDash(c.brokerRole()) + " channel=" + orDash(c.brokerChannel());
    }

    /** {@code <id> <ip>:<port> pid= cpu_percent= cpu= rss= pss= threads= fds= name= room= user= kind=}, for TOP. */
    static String topLine(ClientSnapshot c) {
        var u = c.usage();
        return c.id() + " " + c.peer() + " pid=" + c.pid() + " cpu_percent=" + (u == null ? "-" : u.cpuPercentText())
                + usage(u) + " name=" + orDash(c.nick()) + " room=" + orDash(c.room()) + " user=" + orDash(c.user())
                + " kind=" + orDash(c.kind()) + broker(c);
    }

    private static String usage(ProcessUsage u) {
        if (u == null) {
            return " cpu=- rss=- pss=- threads=- fds=-";
        }
        return " cpu=" + u.cpuSeconds() + " rss=" + known(u.rssBytes()) + " pss=" + known(u.pssBytes()) + " threads="
                + u.threads() + " fds=" + known(u.fds());
    }

    /** One client as a JSON object, the usage fields after the older ones, then {@code node} in a federation. */
    static void json(StringBuilder out, ClientSnapshot c, String node) {
        out.append(out.isEmpty() || out.charAt(out.length() - 1) == '[' ? "{" : ",{");
        AdminJson.field(out, "id", c.id());
        AdminJson.field(out, "peer", c.peer());
        AdminJson.field(out, "pid", c.pid());
        AdminJson.field(out, "name", c.nick());
        AdminJson.field(out, "age", c.ageSeconds());
        AdminJson.field(out, "idle", c.idleSeconds());
        AdminJson.field(out, "in", c.linesIn());
        AdminJson.field(out, "out", c.linesOut());
        AdminJson.field(out, "queued", c.queuedBytes());
        AdminJson.field(out, "room", c.room());
        AdminJson.field(out, "user", c.user());
        AdminJson.field(out, "kind", c.kind());
        if ("broker".equals(c.kind())) {
            AdminJson.field(out, "role", c.brokerRole());
            AdminJson.field(out, "channel", c.brokerChannel());
        }
        if ("mqtt".equals(c.kind())) {
            AdminJson.field(out, "client_id", c.mqttClientId());
            AdminJson.field(out, "subscriptions", c.mqttSubscriptions());
        }
        var u = c.usage();
        AdminJson.number(out, "cpu", u == null ? null : u.cpuSeconds());
        AdminJson.number(out, "cpu_percent", u == null ? null : u.cpuPercentText());
        AdminJson.number(out, "rss", u == null || u.rssBytes() < 0 ? null : Long.toString(u.rssBytes()));
        AdminJson.number(out, "pss", u == null || u.pssBytes() < 0 ? null : Long.toString(u.pssBytes()));
        AdminJson.number(out, "threads", u == null ? null : Integer.toString(u.threads()));
        AdminJson.number(out, "fds", u == null || u.fds() < 0 ? null : Integer.toString(u.fds()));
        if (node != null) {
            AdminJson.field(out, "node", node);
        }
        out.append('}');
    }

    private static String known(long value) {
        return value < 0 ? "-" : Long.toString(value);
    }

    private static String orDash(String text) {
        return text == null ? "-" : text;
    }
}
