package io.keel.experiments.report;

import io.keel.experiments.ExperimentResolver;

import java.util.regex.Pattern;

/** Reads one experiment's variant out of the experiment and variant a request was stamped with. */
final class Arms {
    private static final Pattern JOIN = Pattern.compile(Pattern.quote(ExperimentResolver.JOIN));

    private Arms() {
    }

    /**
     * The variant of {@code experiment} in a stamp: the stamped variant when the stamp names that experiment alone,
     * the part at its position when the request was in experiments of several layers ({@code prompts+retrieval} /
     * {@code v2+bm25}), null when the stamp does not include it.
     *
     * @param experiment the experiment asked about, or null to take the stamped variant as it is
     */
    static String variantOf(String experiment, String stampedExperiment, String stampedVariant) {
        if (experiment == null || experiment.equals(stampedExperiment)) return stampedVariant;
        if (stampedExperiment == null || stampedVariant == null) return null;
        String[] names = JOIN.split(stampedExperiment, -1);
        String[] arms = JOIN.split(stampedVariant, -1);
        if (names.length != arms.length) return null;
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(experiment)) return arms[i];
        }
        return null;
    }
}
