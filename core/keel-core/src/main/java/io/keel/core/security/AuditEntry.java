package io.keel.core.security;

/**
 * One stored entry of the audit log: its position in the chain, the event, and the hashes that chain it.
 *
 * @param seq      position, from 1, with no gaps
 * @param event    what was recorded (its time always set)
 * @param prevHash the hash of entry {@code seq - 1} (64 zeros for the first)
 * @param hash     SHA-256 (hex) of this entry's canonical content, which includes {@code prevHash}
 */
public record AuditEntry(long seq, AuditEvent event, String prevHash, String hash) {
}
