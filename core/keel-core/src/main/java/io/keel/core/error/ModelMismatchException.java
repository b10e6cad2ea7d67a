package io.keel.core.error;

/**
 * An index was built by a different embedding model than the one Keel is configured with. Mixing vectors of two
 * models silently ruins retrieval, so Keel refuses both reads and writes.
 */
public final class ModelMismatchException extends KeelException {
    public ModelMismatchException(String collection, String indexedWith, String configured) {
        super(ErrorCode.MODEL_MISMATCH,
                "collection '" + collection + "' was embedded with " + indexedWith + " but Keel is configured with "
                        + configured + "; re-embed it with: keel reindex --collection " + collection
                        + " (or configure the model it was built with)");
    }
}
