package io.keel.registry;

/**
 * The outcome of a registration: the version, and whether this call created it or found an identical one (same
 * content hash) already registered.
 */
public record Registration(ModelVersion version, boolean created) {
}
