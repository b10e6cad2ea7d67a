package io.keel.core.spi;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardingCollectionIndexTest {
    @Test
    void forwardsEveryMethodOfTheInterfaceIncludingTheDefaultOnes() {
        // A method added to CollectionIndex later must be forwarded too, or wrappers silently lose the capability.
        for (Method m : CollectionIndex.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) continue;
            assertThat(Arrays.stream(ForwardingCollectionIndex.class.getDeclaredMethods())
                    .anyMatch(f -> f.getName().equals(m.getName()) && Arrays.equals(f.getParameterTypes(), m.getParameterTypes())))
                    .as(m.toString()).isTrue();
        }
    }
}
