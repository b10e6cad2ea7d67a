package io.keel.graph.retrieve;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PersonalizedPageRankTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    final io.keel.test.Seeds seeds = new io.keel.test.Seeds();

    /** Undirected edges to CSR. */
    private static PersonalizedPageRank graph(int n, int[][] edges, double[] w) {
        int[] degree = new int[n];
        for (int[] e : edges) {
            degree[e[0]]++;
            degree[e[1]]++;
        }
        int[] offsets = new int[n + 1];
        for (int v = 0; v < n; v++) offsets[v + 1] = offsets[v] + degree[v];
        int[] fill = offsets.clone();
        int[] targets = new int[offsets[n]];
        double[] weights = new double[offsets[n]];
        for (int i = 0; i < edges.length; i++) {
            targets[fill[edges[i][0]]] = edges[i][1];
            weights[fill[edges[i][0]]++] = w[i];
            targets[fill[edges[i][1]]] = edges[i][0];
            weights[fill[edges[i][1]]++] = w[i];
        }
        return new PersonalizedPageRank(offsets, targets, weights);
    }

    @Test
    void twoNodeGraphMatchesTheClosedForm() {
        // Seed 0, damping d: p0 = (1-d) + d*p1, p1 = d*p0  =>  p0 = 1/(1+d), p1 = d/(1+d).
        PersonalizedPageRank ppr = graph(2, new int[][] {{0, 1}}, new double[] {1});
        double[] p = ppr.run(new double[] {1, 0}, 0.5, 200);
        assertThat(p[0]).isCloseTo(1 / 1.5, within(1e-6));
        assertThat(p[1]).isCloseTo(0.5 / 1.5, within(1e-6));
    }

    @Test
    void massFlowsAlongHeavierEdgesAndFadesWithDistance() {
        // Path 0-1-2-3 plus a heavy edge 0-4 and a light edge 0-5.
        PersonalizedPageRank ppr = graph(6, new int[][] {{0, 1}, {1, 2}, {2, 3}, {0, 4}, {0, 5}}, new double[] {1, 1, 1, 3, 0.5});
        double[] p = ppr.run(new double[] {1, 0, 0, 0, 0, 0}, 0.5, 100);
        assertThat(p[4]).isGreaterThan(p[1]).isGreaterThan(p[5]);
        assertThat(p[1]).isGreaterThan(p[2]);
        assertThat(p[2]).isGreaterThan(p[3]);
        double sum = 0;
        for (double x : p) sum += x;
        assertThat(sum).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void forwardPushAgreesWithPowerIterationOnARandomGraph() {
        java.util.Random rnd = seeds.random();
        int n = 200;
        int[][] edges = new int[600][];
        double[] w = new double[edges.length];
        for (int i = 0; i < edges.length; i++) {
            int a = rnd.nextInt(n);
            int b = (a + 1 + rnd.nextInt(n - 1)) % n;
            edges[i] = new int[] {a, b};
            w[i] = 0.1 + rnd.nextDouble() * 3;
        }
        PersonalizedPageRank ppr = graph(n, edges, w);
        double[] reset = new double[n];
        reset[rnd.nextInt(n)] = 2;
        reset[rnd.nextInt(n)] += 1;
        double[] exact = ppr.run(reset, 0.5, 200);
        double[] pushed = ppr.push(reset, 0.5, 1e-9);
        for (int v = 0; v < n; v++) assertThat(pushed[v]).as("node %d", v).isCloseTo(exact[v], within(1e-6));
        double[] coarse = ppr.push(reset, 0.5, 1e-3);
        int top = 0;
        for (int v = 1; v < n; v++) if (exact[v] > exact[top]) top = v;
        int coarseTop = 0;
        for (int v = 1; v < n; v++) if (coarse[v] > coarse[coarseTop]) coarseTop = v;
        assertThat(coarseTop).isEqualTo(top);
    }

    @Test
    void isolatedSeedKeepsItsMassAndNoSeedGivesNothing() {
        PersonalizedPageRank ppr = graph(3, new int[][] {{1, 2}}, new double[] {1});
        double[] p = ppr.run(new double[] {1, 0, 0}, 0.85, 50);
        assertThat(p[0]).isCloseTo(1.0, within(1e-9));
        assertThat(p[1]).isZero();
        assertThat(ppr.run(new double[3], 0.5, 10)).containsOnly(0.0);
    }
}
