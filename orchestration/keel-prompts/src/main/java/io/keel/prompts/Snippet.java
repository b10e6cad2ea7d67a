package io.keel.prompts;

/** Short, single-line renderings of text for failure messages. */
final class Snippet {
    private static final int MAX = 160;

    private Snippet() {
    }

    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    static String of(String s) {
        String one = s.length() <= MAX ? s : s.substring(0, MAX) + "…";
        return quote(one);
    }
}
