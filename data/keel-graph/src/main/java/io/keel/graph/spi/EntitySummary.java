package io.keel.graph.spi;

/** An entity found by name, with how many visible chunks mention it. */
public record EntitySummary(String id, String name, int chunks) {
}
