package io.keel.prompts;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;

import java.util.Arrays;
import java.util.List;

/**
 * Unified diffs between two versions of a prompt, of the file text as written (so reviewers see the wording, the
 * parameters and the tests that changed), headed by the two version names so it is clear which is which.
 */
public final class PromptDiff {
    /** Lines of unchanged context around each change. */
    public static final int CONTEXT = 3;

    private PromptDiff() {
    }

    /** The unified diff from {@code a} to {@code b}; empty when their texts are identical. */
    public static String unified(PromptFile a, PromptFile b) {
        return unified(a.version() + " (" + a.origin() + ")", a.text(), b.version() + " (" + b.origin() + ")", b.text());
    }

    /** The unified diff from text {@code a} (named {@code aName}) to text {@code b}; empty when they are identical. */
    public static String unified(String aName, String a, String bName, String b) {
        List<String> left = lines(a);
        List<String> right = lines(b);
        Patch<String> patch = DiffUtils.diff(left, right);
        if (patch.getDeltas().isEmpty()) return "";
        return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff(aName, bName, left, patch, CONTEXT)) + "\n";
    }

    private static List<String> lines(String s) {
        String t = s.replace("\r\n", "\n");
        if (t.endsWith("\n")) t = t.substring(0, t.length() - 1);
        return t.isEmpty() ? List.of() : Arrays.asList(t.split("\n", -1));
    }
}
