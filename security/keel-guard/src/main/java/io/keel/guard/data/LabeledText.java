package io.keel.guard.data;

/**
 * One row of a guard data set.
 *
 * @param label    1 for the positive class of its set (injection, jailbreak, harmful request), 0 for benign
 * @param category the harm category of a harmful request (see {@code ContentCategory}), or null
 */
public record LabeledText(String text, int label, String category) {
}
