package io.keel.experiments.report;

import io.keel.experiments.stats.Comparison;
import io.keel.experiments.stats.Interval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plain sentence of a report: "B is cheaper by 31 % (95 % CI 24–38 %); no difference detected in groundedness
 * yet: 1,240 more requests per arm needed". Per-stage latencies are left to the comparison table; the sentence
 * names the total.
 */
final class Verdict {
    private Verdict() {
    }

    static String sentence(String treatment, String control, long nControl, long nTreatment,
                           List<ExperimentReport.MetricComparison> comparisons, double alpha, long minPerArm) {
        if (Math.min(nControl, nTreatment) < minPerArm) {
            return String.format(Locale.ROOT, "Not enough data for a verdict: %s has %,d and %s %,d requests; each arm needs %,d.",
                    control, nControl, treatment, nTreatment, minPerArm);
        }
        String conf = percent((1 - alpha) * 100);
        List<String> found = new ArrayList<>();
        List<String> open = new ArrayList<>();
        for (ExperimentReport.MetricComparison mc : comparisons) {
            Comparison c = mc.comparison();
            if (c == null || mc.metric().stage()) continue;
            if (mc.significant(alpha)) {
                found.add(difference(treatment, mc.metric(), c, conf));
            } else if (mc.moreNeededPerArm() > 0) {
                open.add(String.format(Locale.ROOT, "no difference detected in %s yet: %,d more requests per arm needed",
                        mc.metric().label(), mc.moreNeededPerArm()));
            } else {
                open.add("no difference detected in " + mc.metric().label());
            }
        }
        List<String> parts = new ArrayList<>(found);
        if (found.isEmpty()) parts.add(treatment + " shows no detected difference from " + control);
        parts.addAll(open);
        return String.join("; ", parts) + ".";
    }

    private static String difference(String treatment, Metric m, Comparison c, String conf) {
        boolean lower = c.difference() < 0;
        Interval ci = c.liftCi();
        String word = lower ? m.lower() : m.higher();
        if (ci == null || Double.isNaN(c.lift())) {
            String by = String.format(Locale.ROOT, "%.4g (%s %% CI %.4g to %.4g)", Math.abs(c.difference()), conf,
                    lower ? -c.differenceCi().upper() : c.differenceCi().lower(), lower ? -c.differenceCi().lower() : c.differenceCi().upper());
            return word != null ? treatment + " is " + word + " by " + by
                    : treatment + " has " + (lower ? "lower " : "higher ") + m.label() + " by " + by;
        }
        double lift = Math.abs(c.lift()) * 100;
        double lo = (lower ? -ci.upper() : ci.lower()) * 100;
        double hi = (lower ? -ci.lower() : ci.upper()) * 100;
        String by = percent(lift) + " % (" + conf + " % CI " + percent(lo) + "–" + percent(hi) + " %)";
        return word != null ? treatment + " is " + word + " by " + by
                : treatment + " has " + (lower ? "lower " : "higher ") + m.label() + " by " + by;
    }

    private static String percent(double x) {
        return Math.abs(x - Math.rint(x)) < 1e-9 || Math.abs(x) >= 10 ? String.format(Locale.ROOT, "%.0f", x)
                : String.format(Locale.ROOT, "%.1f", x);
    }
}
