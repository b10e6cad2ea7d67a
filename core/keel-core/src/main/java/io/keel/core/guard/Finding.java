package io.keel.core.guard;

/**
 * Something a guard found in a text: a PII entity, a secret, an injection attempt, a denied topic.
 *
 * @param start inclusive char offset
 * @param end   exclusive char offset
 * @param score confidence in [0, 1]
 */
public record Finding(String type, int start, int end, double score, String detector) {
}
