package io.forkcast.supervisor.admin;

import io.forkcast.protocol.text.SafeText;

/**
 * Cleans text an operator typed before it reaches telnet clients, by the rule client text follows ({@link
 * SafeText}): no controls (an ANSI sequence loses its ESC), no bidi overrides or zero-width characters. Stateless.
 */
final class AdminText {
    private AdminText() {}

    static String clean(String text) {
        return SafeText.clean(text);
    }
}
