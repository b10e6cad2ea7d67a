package io.keel.core.security;

/**
 * What {@link AuditLog#verify()} found.
 *
 * @param entries  entries walked
 * @param firstBad position of the first entry that was edited, removed, inserted or moved; null when the chain is intact
 * @param problem  what is wrong there, in words; null when intact
 * @param headHash the hash of the last entry (64 zeros for an empty log): export it elsewhere to detect a rewrite
 */
public record AuditVerification(long entries, Long firstBad, String problem, String headHash) {
    public boolean intact() {
        return firstBad == null;
    }

    @Override
    public String toString() {
        return intact() ? entries + " entries, chain intact (head " + headHash + ")"
                : "entry " + firstBad + ": " + problem;
    }
}
