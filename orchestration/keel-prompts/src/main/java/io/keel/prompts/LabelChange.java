package io.keel.prompts;

import java.time.Instant;

/**
 * One move of a label, as kept in the audit trail: who pointed which label of which prompt from which version to which.
 *
 * @param promptId the prompt
 * @param label    e.g. {@code production}
 * @param action   {@code label} for a move, {@code rollback} for a return to the previous version
 * @param fromHash the version it pointed at before, or null when the label was new
 * @param toHash   the version it points at after
 * @param actor    who moved it
 * @param at       when
 */
public record LabelChange(String promptId, String label, String action, String fromHash, String toHash, String actor, Instant at) {
    public static final String LABEL = "label";
    public static final String ROLLBACK = "rollback";

    /** True when the move changed nothing (the label already pointed there); such moves are not recorded. */
    public boolean unchanged() {
        return toHash.equals(fromHash);
    }

    @Override
    public String toString() {
        return promptId + " " + label + ": " + (fromHash == null ? "(new)" : fromHash) + " -> " + toHash + " (" + action + " by " + actor + " at " + at + ")";
    }
}
