package io.keel.core.spi;

/**
 * A factory for one backend of some kind (an embedder, an index store, a chat provider, ...), found through
 * {@link java.util.ServiceLoader} by the name {@code keel.yaml} uses for it. Each kind of backend has its own factory
 * interface extending this one; {@link Backends#find} looks one up.
 *
 * <p>A module that provides a backend annotates its factory with {@link Backend} and lists it in
 * {@code META-INF/services/<factory interface>}. Names are lower case, stable, and unique per kind: {@code onnx},
 * {@code openai}, {@code lucene}, {@code pgvector}.
 */
public interface BackendFactory {
    /**
     * The name the configuration selects this backend by: by default the factory class's {@link Backend} annotation.
     *
     * @throws IllegalStateException when the class has no {@code @Backend} and does not override this method
     */
    default String name() {
        Backend backend = getClass().getAnnotation(Backend.class);
        if (backend == null) {
            throw new IllegalStateException(getClass().getName() + " names no backend: annotate it with @Backend(\"name\")");
        }
        return backend.value();
    }
}
