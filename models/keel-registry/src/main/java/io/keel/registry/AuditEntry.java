package io.keel.registry;

import java.time.Instant;

/**
 * One line of a model's audit trail. For {@code promote} and {@code rollback}, {@code fromVersion} is the version that
 * held {@code stage} before (null if none) and {@code toVersion} the one that holds it after; for {@code register} and
 * {@code archive}, {@code toVersion} is the version registered or archived.
 *
 * @param generation the registry generation the change was committed in; the entries of one change share it
 */
public record AuditEntry(long id, long generation, Instant at, String actor, String model, AuditAction action,
                         Integer fromVersion, Integer toVersion, Stage stage, String note) {
}
