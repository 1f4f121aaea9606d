package io.forkcast.supervisor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/forkcast.conf.example documents the settings table exactly (every key, its default, its comment), and
 * so does the key table in README.md's Operating section.
 */
class ExampleConfigTest {
    private static final Path HOME =
            Path.of(System.getProperty("basedir", ".")).resolve("..").normalize();
    private static final Path EXAMPLE = HOME.resolve("scripts/forkcast.conf.example");
    private static final Pattern README_ROW = Pattern.compile("^\\| `([a-z0-9_]+)` \\| ([^|]*) \\| (yes)? *\\|");
    private static final Pattern COMMENTED_SETTING = Pattern.compile("^# ([a-z0-9_]+) =(?: (.*))?$");

    /** A setting as the example documents it: the comment above its line, its key and value. */
    record Documented(String comment, String key, String value) {}

    static List<Documented> documented() throws IOException {
        var out = new ArrayList<Documented>();
        var comment = new StringBuilder();
        for (String line : Files.readAllLines(EXAMPLE)) {
            Matcher m = COMMENTED_SETTING.matcher(line);
            if (m.matches()) {
                out.add(new Documented(comment.toString().strip(), m.group(1), m.group(2) == null ? "" : m.group(2)));
                comment.setLength(0);
            } else if (line.startsWith("#")) {
                comment.append(' ').append(line.substring(1).strip());
            } else {
                comment.setLength(0);
            }
        }
        return out;
    }

    @Test
    void theExampleListsEverySettingWithItsDefaultInTableOrder() throws IOException {
        var documented = documented();
        assertEquals(
                Config.SETTINGS.stream().map(Setting::key).toList(),
                documented.stream().map(Documented::key).toList());
        for (int i = 0; i < documented.size(); i++) {
            assertEquals(
                    Config.SETTINGS.get(i).defaultValue(),
                    documented.get(i).value(),
                    documented.get(i).key());
        }
    }

    @Test
    void eachCommentStartsWithTheSettingsDescriptionAndMarksTheReloadableOnes() throws IOException {
        var documented = documented();
        for (int i = 0; i < documented.size(); i++) {
            var setting = Config.SETTINGS.get(i);
            String comment = documented.get(i).comment();
            String description = setting.description().substring(0, 1).toUpperCase(Locale.ROOT)
                    + setting.description().substring(1);
            assertTrue(comment.startsWith(description), setting.key() + ": " + comment);
            assertEquals(setting.live(), comment.endsWith(" reload"), setting.key() + ": " + comment);
        }
    }

    @Test
    void theExampleWithEveryLineUncommentedIsTheDefaults(@TempDir Path dir) throws Exception {
        var lines = documented().stream().map(d -> d.key() + " = " + d.value()).toList();
        Path file = Files.write(dir.resolve("forkcast.conf"), lines);
        var config = Config.fromArgs(List.of("--config", file.toString()));
        assertEquals(List.of(), Config.defaults().differences(config));
    }

    @Test
    void theExampleAsItIsChecksClean() throws Exception {
        var config = Config.fromArgs(List.of("--config", EXAMPLE.toString()));
        assertEquals(List.of(), Config.defaults().differences(config));
    }

    @Test
    void theReadmeTableListsEverySettingWithItsDefaultAndWhetherAReloadAppliesIt() throws IOException {
        var rows = new ArrayList<Matcher>();
        for (String line : Files.readAllLines(HOME.resolve("README.md"))) {
            Matcher m = README_ROW.matcher(line);
            if (m.find()) {
                rows.add(m);
            }
        }
        assertEquals(
                Config.SETTINGS.stream().map(Setting::key).toList(),
                rows.stream().map(m -> m.group(1)).toList());
        for (int i = 0; i < rows.size(); i++) {
            var setting = Config.SETTINGS.get(i);
            String shown = rows.get(i).group(2).strip();
            String expected = setting.defaultValue().isEmpty() ? "(none)" : "`" + setting.defaultValue() + "`";
            assertTrue(
                    shown.equals(expected) || (shown.equals("see the example") && expected.length() > 40),
                    setting.key() + ": " + shown);
            assertEquals(setting.live(), rows.get(i).group(3) != null, setting.key());
        }
    }
}
