package io.keel.experiments.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.experiments.stats.Comparison;
import io.keel.experiments.stats.Interval;

/** The wire form of an {@link ExperimentReport} ({@code GET /v1/experiments/{name}/report}); NaN is written as null. */
public final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReportJson() {
    }

    public static ObjectNode of(ExperimentReport r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("experiment", r.experiment());
        root.put("control", r.control());
        root.put("alpha", r.alpha());
        root.put("min_per_arm", r.minPerArm());
        var variants = root.putArray("variants");
        for (ExperimentReport.VariantSummary v : r.variants()) {
            ObjectNode n = variants.addObject();
            n.put("name", v.name());
            n.put("weight", v.weight());
            n.put("requests", v.requests());
            ObjectNode metrics = n.putObject("metrics");
            v.metrics().forEach((name, s) -> {
                ObjectNode m = metrics.putObject(name);
                m.put("n", s.n());
                num(m, "mean", s.mean());
                num(m, "sd", s.sd());
                interval(m, "ci", s.ci());
            });
        }
        ObjectNode comparisons = root.putObject("comparisons");
        r.comparisons().forEach((variant, list) -> {
            ObjectNode byMetric = comparisons.putObject(variant);
            for (ExperimentReport.MetricComparison mc : list) {
                ObjectNode m = byMetric.putObject(mc.metric().name());
                m.put("test", mc.metric().rate() ? "two_proportion_z" : "welch_t");
                Comparison c = mc.comparison();
                if (c == null) {
                    m.putNull("difference");
                } else {
                    num(m, "difference", c.difference());
                    interval(m, "difference_ci", c.differenceCi());
                    num(m, "lift", c.lift());
                    interval(m, "lift_ci", c.liftCi());
                    num(m, "p_value", c.pValue());
                }
                num(m, "p_value_holm", mc.adjustedP());
                num(m, "p_value_sequential", mc.sequentialP());
                m.put("significant", mc.significant(r.alpha()));
                if (mc.moreNeededPerArm() >= 0) m.put("more_needed_per_arm", mc.moreNeededPerArm());
                else m.putNull("more_needed_per_arm");
            }
        });
        ObjectNode srm = root.putObject("srm");
        if (r.srm() == null) {
            srm.put("status", "no_data");
        } else {
            srm.put("status", r.srm().mismatch() ? "mismatch" : "ok");
            num(srm, "chi_square", r.srm().chiSquare());
            num(srm, "p_value", r.srm().pValue());
        }
        ObjectNode verdicts = root.putObject("verdicts");
        r.verdicts().forEach(verdicts::put);
        return root;
    }

    private static void num(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) n.put(field, v);
        else n.putNull(field);
    }

    private static void interval(ObjectNode n, String field, Interval i) {
        if (i == null || !Double.isFinite(i.lower()) || !Double.isFinite(i.upper())) {
            n.putNull(field);
            return;
        }
        var a = n.putArray(field);
        a.add(i.lower());
        a.add(i.upper());
    }
}
