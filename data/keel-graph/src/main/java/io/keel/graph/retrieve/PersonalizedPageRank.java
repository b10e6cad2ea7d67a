package io.keel.graph.retrieve;

import java.util.Arrays;

/**
 * Personalized PageRank by power iteration over a weighted undirected graph in compressed sparse rows: each step a
 * walker returns to the seeds with probability {@code 1 - damping}, otherwise follows an edge in proportion to its
 * weight. Mass on nodes without edges returns to the seeds, so the scores always sum to 1.
 */
public final class PersonalizedPageRank {
    private final int[] offsets;
    private final int[] targets;
    private final double[] weights;
    private final double[] outWeight;

    /**
     * @param offsets {@code offsets[v]..offsets[v+1]} index the neighbours of node {@code v} in {@code targets}
     * @param weights the weight of each entry in {@code targets}
     */
    public PersonalizedPageRank(int[] offsets, int[] targets, double[] weights) {
        this.offsets = offsets;
        this.targets = targets;
        this.weights = weights;
        int n = offsets.length - 1;
        this.outWeight = new double[n];
        for (int v = 0; v < n; v++) {
            double s = 0;
            for (int e = offsets[v]; e < offsets[v + 1]; e++) s += weights[e];
            outWeight[v] = s;
        }
    }

    public int nodes() {
        return outWeight.length;
    }

    /**
     * Approximate Personalized PageRank by forward push (Andersen, Chung and Lang 2006): residual mass is pushed from a
     * node only while it exceeds {@code epsilon}, so the work stays near the seeds instead of sweeping the whole graph
     * each step. Every score is within {@code epsilon} times the node's degree of the exact value; mass reaching a
     * node without edges stays there.
     */
    public double[] push(double[] reset, double damping, double epsilon) {
        int n = nodes();
        double total = 0;
        for (double r : reset) total += r;
        double[] p = new double[n];
        if (total <= 0) return p;
        double[] residual = new double[n];
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
        boolean[] queued = new boolean[n];
        for (int v = 0; v < n; v++) {
            residual[v] = reset[v] / total;
            if (residual[v] > epsilon) {
                queue.add(v);
                queued[v] = true;
            }
        }
        while (!queue.isEmpty()) {
            int u = queue.poll();
            queued[u] = false;
            double r = residual[u];
            residual[u] = 0;
            if (outWeight[u] == 0) {
                p[u] += r;
                continue;
            }
            p[u] += (1 - damping) * r;
            double share = damping * r / outWeight[u];
            for (int e = offsets[u]; e < offsets[u + 1]; e++) {
                int v = targets[e];
                residual[v] += share * weights[e];
                if (!queued[v] && residual[v] > epsilon) {
                    queue.add(v);
                    queued[v] = true;
                }
            }
        }
        return p;
    }

    /**
     * @param reset      the personalisation (any non-negative weights; normalised here); all zero gives all zero
     * @param damping    probability of following an edge rather than returning to the seeds, in [0, 1)
     * @param iterations power-iteration steps (stops earlier when the L1 change falls under 1e-6)
     */
    public double[] run(double[] reset, double damping, int iterations) {
        int n = nodes();
        double total = 0;
        for (double r : reset) total += r;
        double[] seed = new double[n];
        if (total <= 0) return seed;
        for (int v = 0; v < n; v++) seed[v] = reset[v] / total;
        double[] p = seed.clone();
        double[] next = new double[n];
        for (int it = 0; it < iterations; it++) {
            Arrays.fill(next, 0);
            double dangling = 0;
            for (int v = 0; v < n; v++) {
                if (p[v] == 0) continue;
                if (outWeight[v] == 0) {
                    dangling += p[v];
                    continue;
                }
                double share = damping * p[v] / outWeight[v];
                for (int e = offsets[v]; e < offsets[v + 1]; e++) next[targets[e]] += share * weights[e];
            }
            double back = 1 - damping + damping * dangling;
            double change = 0;
            for (int v = 0; v < n; v++) {
                next[v] += back * seed[v];
                change += Math.abs(next[v] - p[v]);
            }
            double[] t = p;
            p = next;
            next = t;
            if (change < 1e-6) break;
        }
        return p;
    }
}
