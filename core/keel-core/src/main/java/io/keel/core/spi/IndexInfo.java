package io.keel.core.spi;

/**
 * State of one collection's index.
 *
 * @param embeddingModel fingerprint of the model that built the vectors
 * @param version        increases by one with every commit that changed the index
 */
public record IndexInfo(String collection, String embeddingModel, long version, long documents, long chunks) {
    /** {@code collection@version}, the form lineage records. */
    public String versionTag() {
        return collection + "@" + version;
    }
}
