package io.forkcast.supervisor.admin;

/**
 * Cleans text an operator typed before it reaches telnet clients: drops C0 controls except TAB, DEL and C1
 * controls, so an ANSI sequence loses its ESC (the worker's TextCleaner applies the same rule to client input).
 * Stateless.
 */
final class AdminText {
    private AdminText() {}

    static String clean(String text) {
        var out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                out.append(c);
            }
        }
        return out.length() == text.length() ? text : out.toString();
    }

    static boolean isControl(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F);
    }
}
