package io.keel.store.sql;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Selects the rows of one experiment: stamped with its name alone, or with names joined by {@code +} when the request
 * was in experiments of several layers ({@code prompts+retrieval}). The caller picks the experiment's own part of the
 * variant.
 */
final class ExperimentMatch {
    /** The condition, with four parameters {@link #bind} sets. */
    static final String CONDITION = "(experiment = ? OR experiment LIKE ? ESCAPE '!' OR experiment LIKE ? ESCAPE '!'"
            + " OR experiment LIKE ? ESCAPE '!')";

    private ExperimentMatch() {
    }

    /** Binds {@link #CONDITION}'s parameters from {@code index} on; returns the next free index. */
    static int bind(PreparedStatement ps, int index, String experiment) throws SQLException {
        String e = experiment.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        ps.setString(index, experiment);
        ps.setString(index + 1, e + "+%");
        ps.setString(index + 2, "%+" + e);
        ps.setString(index + 3, "%+" + e + "+%");
        return index + 4;
    }
}
