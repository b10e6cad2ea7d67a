package io.keel.quality;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DriftMonitorTest {
    private static final List<String> CORPUS = List.of(
            "Pods are scheduled onto nodes by the Kubernetes scheduler.",
            "A deployment keeps the desired number of pod replicas running.",
            "Services give a stable virtual IP address to a set of pods.",
            "Ingress controllers route external HTTP traffic to services inside the cluster.",
            "ConfigMaps hold configuration that containers read as files or environment variables.",
            "Secrets store credentials such as passwords and API tokens for workloads.",
            "The kubelet on each node starts containers and reports their health.",
            "Liveness probes restart a container that stopped responding.",
            "Readiness probes keep traffic away from pods that are still starting.",
            "Horizontal pod autoscaling adds replicas when CPU usage is high.",
            "Persistent volumes keep data when a pod is rescheduled to another node.",
            "Namespaces separate the resources of different teams in one cluster.",
            "Resource limits cap the memory and CPU a container may use.",
            "A rolling update replaces pods gradually so the service stays available.",
            "Helm charts package the manifests of an application with its defaults.",
            "Network policies restrict which pods may talk to each other.",
            "The control plane stores the cluster state in etcd.",
            "Node affinity rules pin workloads to nodes with particular labels.",
            "DaemonSets run one copy of a pod on every node, for logging agents.",
            "Jobs run pods to completion, and CronJobs run them on a schedule.");
    private static final List<String> IN_DOMAIN = List.of(
            "How do I expose my deployment to traffic from outside the cluster?",
            "Why does my pod keep restarting?",
            "How many replicas does the autoscaler create under load?",
            "Where should I keep database passwords for a container?",
            "How do I roll out a new image version without downtime?",
            "What happens to volume data when a pod moves to another node?",
            "How can I limit memory for a container?",
            "How do I run a nightly batch task in the cluster?",
            "Which node will the scheduler put my pod on?",
            "How do I stop pods in one namespace from reaching another?",
            "How do I install an application with a chart?",
            "What does the kubelet do on a worker node?",
            "How do readiness checks affect service traffic?",
            "How do I run a log collector on every node?",
            "Where is the cluster state stored?",
            "How do I mount configuration files into a container?",
            "Can I pin a workload to GPU nodes?",
            "How do services find the pods behind them?",
            "How do I scale a deployment by hand?",
            "What is the difference between a job and a deployment?");
    private static final List<String> OTHER_DOMAIN = List.of(
            "How long should I knead bread dough?",
            "What temperature do I roast a chicken at?",
            "How do I keep basil fresh in the fridge?",
            "Can I replace butter with olive oil in a cake?",
            "Why did my souffle collapse in the oven?",
            "How much salt goes into pasta water?",
            "What is the best way to caramelise onions?",
            "How do I make a sourdough starter from scratch?",
            "How long do boiled eggs keep?",
            "Which wine goes well with grilled fish?",
            "How do I stop rice from sticking to the pot?",
            "What spices go into a garam masala?",
            "How thick should pancake batter be?",
            "How do I poach an egg without vinegar?",
            "What is the difference between baking soda and baking powder?",
            "How do I temper chocolate at home?",
            "Why is my homemade bread so dense?",
            "How do I make a smooth tomato sauce?",
            "Can I freeze cooked lentils?",
            "How do I sharpen a kitchen knife?");

    @Test
    void realEmbeddingsDriftLittleInDomainAndAlertWhenQuestionsComeFromAnotherDomain() {
        var embedder = Fixtures.embedder();
        float[] corpus = DriftMonitor.centroid(embedder.embedAll(CORPUS));
        QualityConfig config = QualityConfig.defaults().withDrift(10, QualityConfig.DEFAULT_DRIFT_ALERT_THRESHOLD, 10);
        DriftMonitor inDomain = new DriftMonitor(config);
        inDomain.setCorpusCentroid(corpus);
        embedder.embedAll(IN_DOMAIN).forEach(inDomain::observe);
        DriftMonitor shifted = new DriftMonitor(config);
        shifted.setCorpusCentroid(corpus);
        embedder.embedAll(IN_DOMAIN).forEach(shifted::observe);
        embedder.embedAll(OTHER_DOMAIN).forEach(shifted::observe);
        System.out.printf("drift in-domain %.3f, after 20 cooking questions %.3f%n", inDomain.drift(), shifted.drift());
        assertThat(inDomain.drift()).isLessThan(0.3);
        assertThat(inDomain.alerting()).isFalse();
        assertThat(shifted.drift()).isGreaterThan(config.driftAlertThreshold());
        assertThat(shifted.alerting()).isTrue();
    }

    @Test
    void driftIsUnknownUntilMinQueriesAndWithoutCorpusCentroid() {
        DriftMonitor d = new DriftMonitor(10, 0.5, 3);
        d.observe(new float[]{1, 0});
        d.observe(new float[]{1, 0});
        assertThat(d.drift()).isNaN();
        d.observe(new float[]{1, 0});
        assertThat(d.drift()).isNaN(); // no corpus centroid yet
        assertThat(d.alerting()).isFalse();
        d.setCorpusCentroid(new float[]{2, 0}); // need not be normalised
        assertThat(d.drift()).isCloseTo(0, within(1e-9));
        assertThat(d.queries()).isEqualTo(3);
    }

    @Test
    void halfLifeWeighsRecentQueries() {
        DriftMonitor d = new DriftMonitor(1, 0.5, 1);
        d.setCorpusCentroid(new float[]{1, 0});
        d.observe(new float[]{1, 0});
        d.observe(new float[]{0, 1}); // half-life 1: rolling = 0.5 * (0.5, 0) + 0.5 * (0, 1) = (0.25, 0.5)
        assertThat(d.drift()).isCloseTo(1 - 0.25 / Math.sqrt(0.25 * 0.25 + 0.5 * 0.5), within(1e-6));
        assertThat(d.alerting()).isTrue();
        for (int i = 0; i < 30; i++) d.observe(new float[]{0, 1});
        assertThat(d.drift()).isCloseTo(1, within(1e-6));
        d.reset();
        assertThat(d.queries()).isZero();
        assertThat(d.drift()).isNaN();
    }

    @Test
    void ignoresVectorsOfAnotherDimension() {
        DriftMonitor d = new DriftMonitor(10, 0.5, 1);
        d.observe(new float[]{1, 0});
        d.observe(new float[]{1, 0, 0});
        d.observe(null);
        assertThat(d.queries()).isEqualTo(1);
        d.setCorpusCentroid(new float[]{1, 0, 0});
        assertThat(d.drift()).isNaN();
    }

    @Test
    void concurrentObserversLoseNoQuery() throws Exception {
        DriftMonitor d = new DriftMonitor(50, 0.5, 1);
        d.setCorpusCentroid(new float[]{1, 1, 1, 1});
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            fs.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 5_000; i++) {
                    d.observe(new float[]{0.5f, 0.5f, 0.5f, 0.5f});
                    d.drift();
                }
                return null;
            }));
        }
        go.countDown();
        for (var f : fs) f.get();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(d.queries()).isEqualTo(20_000);
        assertThat(d.drift()).isCloseTo(0, within(1e-6));
    }

    @Test
    void centroidIsTheMean() {
        assertThat(DriftMonitor.centroid(List.of(new float[]{1, 0}, new float[]{0, 1}))).containsExactly(0.5f, 0.5f);
        assertThat(DriftMonitor.centroid(List.of())).isNull();
    }
}
