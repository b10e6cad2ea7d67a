package io.keel.experiments.stats;

import org.hipparchus.distribution.continuous.NormalDistribution;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded Monte Carlo checks that the tests keep their promises: error rates under no difference, power under a known
 * difference, and SRM detection. The measured rates are printed for BENCHMARKS.md.
 */
class SimulationTest {
    private static final int EXPERIMENTS = 2_000;
    private static final double ALPHA = 0.05;

    @Test
    void fixedHorizonFalsePositiveRateIsAlpha() {
        SplittableRandom rnd = new SplittableRandom(19);
        int welch = 0;
        int proportions = 0;
        for (int e = 0; e < EXPERIMENTS; e++) {
            Sample.Accumulator a = new Sample.Accumulator();
            Sample.Accumulator b = new Sample.Accumulator();
            long sa = 0;
            long sb = 0;
            for (int i = 0; i < 1_000; i++) {
                a.add(rnd.nextExponential()); // skewed, like cost or latency
                b.add(rnd.nextExponential());
                if (rnd.nextDouble() < 0.1) sa++;
                if (rnd.nextDouble() < 0.1) sb++;
            }
            if (WelchTTest.compare(a.sample(), b.sample(), ALPHA).significant()) welch++;
            if (TwoProportionZTest.compare(sa, 1_000, sb, 1_000, ALPHA).significant()) proportions++;
        }
        double welchRate = (double) welch / EXPERIMENTS;
        double zRate = (double) proportions / EXPERIMENTS;
        System.out.printf("A/A fixed horizon (2,000 experiments, 1,000 per arm): Welch FPR %.4f, two-proportion FPR %.4f%n", welchRate, zRate);
        assertThat(welchRate).isBetween(0.04, 0.06);
        assertThat(zRate).isBetween(0.04, 0.06);
    }

    @Test
    void sequentialTestHoldsAlphaUnderContinuousPeekingWhilePeekingAtWelchDoesNot() {
        SplittableRandom rnd = new SplittableRandom(7);
        SequentialTest test = new SequentialTest(ALPHA, 0.1);
        int sequential = 0;
        int naive = 0;
        for (int e = 0; e < EXPERIMENTS; e++) {
            Sample.Accumulator a = new Sample.Accumulator();
            Sample.Accumulator b = new Sample.Accumulator();
            SequentialTest.Monitor monitor = test.monitor();
            boolean naiveRejected = false;
            for (int request = 1; request <= 10_000; request++) {
                (rnd.nextBoolean() ? a : b).add(rnd.nextGaussian());
                if (request % 100 == 0) {
                    monitor.look(a.sample(), b.sample());
                    naiveRejected |= WelchTTest.pValue(a.sample(), b.sample()) < ALPHA;
                }
            }
            if (monitor.rejected()) sequential++;
            if (naiveRejected) naive++;
        }
        double seqRate = (double) sequential / EXPERIMENTS;
        double naiveRate = (double) naive / EXPERIMENTS;
        System.out.printf("A/A peeking every 100 requests up to 10,000 (2,000 experiments): mSPRT FPR %.4f, Welch-with-peeking FPR %.4f%n",
                seqRate, naiveRate);
        assertThat(seqRate).isLessThanOrEqualTo(ALPHA);
        assertThat(naiveRate).isGreaterThan(0.15); // the failure the sequential test exists to prevent
    }

    @Test
    void powerForAKnownEffectMatchesTheAnalyticValue() {
        double effect = 0.1;
        long n = SampleSize.perArmForMeans(1, effect, ALPHA, 0.8);
        double analytic = SampleSize.powerForMeans(n, 1, effect, ALPHA);
        SplittableRandom rnd = new SplittableRandom(42);
        int detected = 0;
        for (int e = 0; e < EXPERIMENTS; e++) {
            Sample.Accumulator a = new Sample.Accumulator();
            Sample.Accumulator b = new Sample.Accumulator();
            for (int i = 0; i < n; i++) {
                a.add(rnd.nextGaussian());
                b.add(effect + rnd.nextGaussian());
            }
            Comparison c = WelchTTest.compare(a.sample(), b.sample(), ALPHA);
            if (c.significant() && c.difference() > 0) detected++;
        }
        double power = (double) detected / EXPERIMENTS;
        System.out.printf("Power (effect 0.1 sd, %d per arm, 2,000 experiments): simulated %.4f, analytic %.4f%n", n, power, analytic);
        assertThat(power).isBetween(analytic - 0.03, analytic + 0.03);
    }

    @Test
    void srmIsDetectedWhenOneArmLosesThreePercentOfItsTraffic() {
        // 20k units per arm are assigned; arm B silently loses 3% of them before they are counted
        SplittableRandom rnd = new SplittableRandom(3);
        int runs = 1_000;
        int detected = 0;
        int falseAlarms = 0;
        for (int r = 0; r < runs; r++) {
            long a = 0;
            long b = 0;
            long aa = 0;
            long ab = 0;
            for (int u = 0; u < 40_000; u++) {
                boolean toB = rnd.nextBoolean();
                if (toB) ab++;
                else aa++;
                if (!toB) a++;
                else if (rnd.nextDouble() >= 0.03) b++;
            }
            if (SampleRatioMismatch.check(new long[]{a, b}, new double[]{1, 1}).mismatch()) detected++;
            if (SampleRatioMismatch.check(new long[]{aa, ab}, new double[]{1, 1}).mismatch()) falseAlarms++;
        }
        // df = 1: the chi-square test rejects when |Z + sqrt(lambda)| > z, lambda from the expected counts 20,000 vs 19,400
        SampleRatioMismatch.Result expected = SampleRatioMismatch.check(new long[]{20_000, 19_400}, new double[]{1, 1});
        NormalDistribution z = new NormalDistribution(0, 1);
        double crit = z.inverseCumulativeProbability(1 - SampleRatioMismatch.DEFAULT_THRESHOLD / 2);
        double shift = Math.sqrt(expected.chiSquare());
        double analytic = z.cumulativeProbability(shift - crit) + z.cumulativeProbability(-shift - crit);
        double rate = (double) detected / runs;
        double alarmRate = (double) falseAlarms / runs;
        System.out.printf("SRM (20k per arm, B loses 3%%, threshold %.2f, %d runs): expected-count p %.4f, detected %.3f "
                + "(analytic %.3f), false alarms without loss %.3f%n", SampleRatioMismatch.DEFAULT_THRESHOLD, runs,
                expected.pValue(), rate, analytic, alarmRate);
        assertThat(expected.mismatch()).isTrue();
        assertThat(rate).isBetween(analytic - 0.05, analytic + 0.05);
        assertThat(alarmRate).isLessThanOrEqualTo(0.02);
    }
}
