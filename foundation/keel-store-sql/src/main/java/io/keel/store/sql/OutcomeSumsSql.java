package io.keel.store.sql;

import io.keel.core.spi.OutcomeSums;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Reads one experiment's rows of a sums table ({@code experiment_sums}, {@code experiment_feedback_sums}). */
final class OutcomeSumsSql {
    private OutcomeSumsSql() {
    }

    static List<OutcomeSums> read(Database db, String table, String experiment) {
        return db.withConnection(c -> {
            List<OutcomeSums> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT variant, metric, n, shift, sum_dx, sum_dx2 FROM " + table
                    + " WHERE experiment = ? AND n > 0")) {
                ps.setString(1, experiment);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OutcomeSums(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDouble(4),
                                rs.getDouble(5), rs.getDouble(6)));
                    }
                }
            }
            return out;
        });
    }
}
