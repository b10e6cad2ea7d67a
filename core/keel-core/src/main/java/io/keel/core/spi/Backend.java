package io.keel.core.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name a {@link BackendFactory} is selected by in {@code keel.yaml}, declared on the factory class:
 * {@code @Backend("lucene") public final class LuceneIndexStoreFactory implements IndexStoreFactory}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Backend {
    /** Lower case, stable, unique per kind of backend. */
    String value();
}
