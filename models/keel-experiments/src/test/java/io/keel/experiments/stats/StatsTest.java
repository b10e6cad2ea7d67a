package io.keel.experiments.stats;

import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Each test against reference values (SciPy 1.x for the same inputs). */
class StatsTest {
    @Test
    void welchMatchesReferenceValues() {
        Comparison c = WelchTTest.compare(Sample.of(1, 2, 3, 4, 5), Sample.of(2, 4, 6, 8, 10), 0.05);
        assertThat(c.difference()).isEqualTo(3.0);
        assertThat(c.statistic()).isCloseTo(1.8973665961010275, within(1e-12));
        assertThat(c.pValue()).isCloseTo(0.10753119493062728, within(1e-9));
        assertThat(c.differenceCi().lower()).isCloseTo(-0.887741643736975, within(1e-8));
        assertThat(c.differenceCi().upper()).isCloseTo(6.887741643736975, within(1e-8));
        assertThat(c.significant()).isFalse();
        assertThat(WelchTTest.pValue(Sample.of(1, 2, 3, 4, 5), Sample.of(2, 4, 6, 8, 10))).isEqualTo(c.pValue());
        assertThat(c.lift()).isCloseTo(1.0, within(1e-12));
        // delta method: var = 2/9 + 36*0.5/81 = 4/9, half width = 1.959964 * 2/3
        assertThat(c.liftCi().upper() - c.lift()).isCloseTo(1.959963984540054 * 2 / 3, within(1e-9));
    }

    @Test
    void accumulatorAgreesWithTheTwoPassFormula() {
        Sample.Accumulator acc = new Sample.Accumulator();
        for (double v : new double[]{1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16}) acc.add(v);
        assertThat(acc.sample().mean()).isEqualTo(1e9 + 10);
        assertThat(acc.sample().variance()).isCloseTo(30.0, within(1e-6));
    }

    @Test
    void twoProportionsMatchReferenceValues() {
        Comparison c = TwoProportionZTest.compare(120, 1000, 150, 1000, 0.05);
        assertThat(c.difference()).isCloseTo(0.03, within(1e-12));
        assertThat(c.statistic()).isCloseTo(1.963049807622355, within(1e-9));
        assertThat(c.pValue()).isCloseTo(0.04964038686536878, within(1e-9));
        assertThat(c.differenceCi().lower()).isCloseTo(7.602882129778554e-05, within(1e-9));
        assertThat(c.differenceCi().upper()).isCloseTo(0.05992397117870221, within(1e-9));
        assertThat(c.lift()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void srmMatchesTheChiSquareTail() {
        SampleRatioMismatch.Result r = SampleRatioMismatch.check(new long[]{10_000, 9_700}, new double[]{1, 1}, 0.05);
        assertThat(r.chiSquare()).isCloseTo(4.568527918781726, within(1e-9));
        assertThat(r.pValue()).isCloseTo(0.032564536909434845, within(1e-9));
        assertThat(r.mismatch()).isTrue();
        assertThat(SampleRatioMismatch.check(new long[]{10_000, 9_700}, new double[]{1, 1}).mismatch()).isFalse();
        assertThat(SampleRatioMismatch.check(new long[]{9_000, 1_000}, new double[]{90, 10}).pValue()).isEqualTo(1.0);
    }

    @Test
    void holmAndBenjaminiHochbergAdjustInInputOrder() {
        double[] p = {0.01, 0.04, 0.03, 0.005};
        assertThat(MultipleTesting.holm(p)).containsExactly(new double[]{0.03, 0.06, 0.06, 0.02}, within(1e-12));
        assertThat(MultipleTesting.benjaminiHochberg(p)).containsExactly(new double[]{0.02, 0.04, 0.04, 0.02}, within(1e-12));
        assertThatThrownBy(() -> MultipleTesting.holm(0.5, 1.2)).isInstanceOf(KeelException.class).hasMessageContaining("1.2");
    }

    @Test
    void sampleSizeAndPowerAgree() {
        long n = SampleSize.perArmForMeans(1, 0.1, 0.05, 0.8);
        assertThat(n).isEqualTo(1570);
        assertThat(SampleSize.powerForMeans(n, 1, 0.1, 0.05)).isCloseTo(0.8, within(0.001));
        // 10% -> 12% conversion: the textbook value is about 3,841 per arm
        assertThat(SampleSize.perArmForProportions(0.10, 0.02, 0.05, 0.8)).isBetween(3_830L, 3_850L);
    }

    @Test
    void sequentialIntervalIsWiderThanTheFixedHorizonOneAndRejectsAClearEffect() {
        Sample a = new Sample(5_000, 10.0, 4.0);
        Sample b = new Sample(5_000, 10.5, 4.0);
        SequentialTest.Look look = new SequentialTest(0.05, 0.2).look(a, b);
        Comparison fixed = WelchTTest.compare(a, b, 0.05);
        assertThat(look.rejected()).isTrue();
        assertThat(look.pValue()).isLessThan(0.05);
        assertThat(look.confidenceSequence().width()).isGreaterThan(fixed.differenceCi().width());
        assertThat(look.confidenceSequence().contains(0.5)).isTrue();
    }

    @Test
    void badInputGetsAnActionableError() {
        assertThatThrownBy(() -> WelchTTest.compare(Sample.of(1), Sample.of(1, 2), 0.05))
                .isInstanceOf(KeelException.class).hasMessageContaining("at least 2 observations");
        assertThatThrownBy(() -> WelchTTest.compare(Sample.of(1, 1), Sample.of(2, 2), 0.05))
                .isInstanceOf(KeelException.class).hasMessageContaining("constant");
        assertThatThrownBy(() -> TwoProportionZTest.compare(5, 4, 1, 10, 0.05)).isInstanceOf(KeelException.class);
        assertThatThrownBy(() -> new SequentialTest(0.05, 0)).isInstanceOf(KeelException.class).hasMessageContaining("tau");
        assertThatThrownBy(() -> SampleRatioMismatch.check(new long[]{1, 2}, new double[]{1}))
                .isInstanceOf(KeelException.class).hasMessageContaining("one weight per arm");
    }
}
