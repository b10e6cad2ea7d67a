package io.keel.graph.retrieve;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PersonalizedPageRankTest {

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
    void isolatedSeedKeepsItsMassAndNoSeedGivesNothing() {
        PersonalizedPageRank ppr = graph(3, new int[][] {{1, 2}}, new double[] {1});
        double[] p = ppr.run(new double[] {1, 0, 0}, 0.85, 50);
        assertThat(p[0]).isCloseTo(1.0, within(1e-9));
        assertThat(p[1]).isZero();
        assertThat(ppr.run(new double[3], 0.5, 10)).containsOnly(0.0);
    }
}
