package io.keel.guard.pii;

import io.keel.core.guard.Direction;
import io.keel.core.guard.Finding;
import io.keel.guard.Detector;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A {@link PiiScanner} as a {@link Detector}, active in the given directions. */
public final class PiiDetector implements Detector {
    private final PiiScanner scanner;
    private final Set<Direction> directions;

    public PiiDetector(PiiScanner scanner, Set<Direction> directions) {
        this.scanner = Objects.requireNonNull(scanner, "scanner");
        this.directions = Set.copyOf(directions);
    }

    @Override
    public String name() {
        return "pii";
    }

    @Override
    public List<Finding> detect(String text, Direction direction) {
        return directions.contains(direction) ? scanner.scan(text) : List.of();
    }
}
