package io.keel.bench.streaming;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.config.ConfigNode;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.IndexStore;
import io.keel.core.spi.IndexStoreContext;
import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.embed.onnx.OnnxEmbedderConfig;
import io.keel.index.lucene.LuceneIndexConfig;
import io.keel.index.lucene.LuceneIndexStore;
import io.keel.index.pgvector.PgVectorIndexStoreFactory;
import io.keel.ingest.chunk.Chunker;
import io.keel.ingest.chunk.ChunkerConfig;
import io.keel.ingest.parse.DocumentDefaults;
import io.keel.ingest.parse.MarkdownParser;
import io.keel.stream.DocumentEvent;
import io.keel.stream.DocumentEvents;
import io.keel.stream.EventStatus;
import io.keel.stream.FreshnessSnapshot;
import io.keel.stream.FreshnessTracker;
import io.keel.stream.kafka.KafkaBroker;
import io.keel.stream.kafka.KafkaIngestionConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Freshness under a steady stream: a producer writes document events to Kafka at a fixed rate (new documents of about
 * {@code --words} words, a share of them updates of earlier ones), a {@link KafkaIngestion} applies them to a Lucene
 * collection with the ONNX MiniLM embedder, and the {@link FreshnessTracker} measures each event's time from its
 * {@code event_time} (set when the producer sends it) to the index commit that made it searchable.
 *
 * <p>Runs against an in-process single-node KRaft broker unless {@code --bootstrap} names a cluster. A warm-up is
 * excluded from the numbers; after the producer stops, the time to drain what is left is reported too, and the
 * index is checked to hold exactly one copy of every document sent, at the last version sent for it.
 *
 * <p>Scale-out: {@code --remote N} embeds through a remote embedder pool of N fake {@code /v1/embeddings} replicas
 * ({@link EmbeddingFleet}: 5 ms + 0.2 ms per text per batch unless told otherwise) instead of the ONNX model;
 * {@code --instances K} runs K ingestion instances in one consumer group, each with its own embedder client and index
 * store, all writing one pgvector collection on a fresh database ({@code --postgres}, default the local server).
 *
 * <pre>
 * ... exec:java -Dexec.args="--rate 50 --seconds 20 --warmup 5 --remote 4 --instances 2"
 * </pre>
 *
 * <pre>
 * ./mvnw -q -f bench/streaming/pom.xml compile exec:java -Dexec.args="--rate 50 --seconds 40 --words 200"
 * </pre>
 */
public final class StreamingBench {
    private record Options(double rate, int seconds, int warmupSeconds, int words, int updatePercent, int partitions,
                           String bootstrap, boolean quantized, int maxBatchRecords, int batchLatencyMs, boolean ceiling,
                           boolean edits, boolean reuse, int remote, int instances, String index, String postgres,
                           double embedLatencyMs, double embedPerTextMs, int embedSlots, int embedBatch,
                           int embedConcurrency, int embedWindow) {
        static Options parse(String[] args) {
            double rate = 50;
            int seconds = 40;
            int warmup = 10;
            int words = 200;
            int updates = 10;
            Integer partitions = null;
            String bootstrap = null;
            boolean quantized = OnnxEmbedderConfig.defaults().quantized();
            int batch = 256;
            int latency = 20;
            boolean ceiling = false;
            boolean edits = false;
            boolean reuse = true;
            int remote = 0;
            int instances = 1;
            String index = null;
            String postgres = "jdbc:postgresql://127.0.0.1:5432/";
            double embedLatency = 5;
            double embedPerText = 0.2;
            int embedSlots = 1;
            int embedBatch = 32;
            int embedConcurrency = 4;
            int embedWindow = 256;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--rate" -> rate = Double.parseDouble(args[++i]);
                    case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                    case "--words" -> words = Integer.parseInt(args[++i]);
                    case "--updates" -> updates = Integer.parseInt(args[++i]);
                    case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                    case "--bootstrap" -> bootstrap = args[++i];
                    case "--quantized" -> quantized = true;
                    case "--fp32" -> quantized = false;
                    case "--max-batch" -> batch = Integer.parseInt(args[++i]);
                    case "--batch-latency-ms" -> latency = Integer.parseInt(args[++i]);
                    case "--ceiling" -> ceiling = true;
                    case "--edits" -> edits = true;
                    case "--no-reuse" -> reuse = false;
                    case "--remote" -> remote = Integer.parseInt(args[++i]);
                    case "--instances" -> instances = Integer.parseInt(args[++i]);
                    case "--index" -> index = args[++i];
                    case "--postgres" -> postgres = args[++i];
                    case "--embed-latency-ms" -> embedLatency = Double.parseDouble(args[++i]);
                    case "--embed-per-text-ms" -> embedPerText = Double.parseDouble(args[++i]);
                    case "--embed-slots" -> embedSlots = Integer.parseInt(args[++i]);
                    case "--embed-batch" -> embedBatch = Integer.parseInt(args[++i]);
                    case "--embed-concurrency" -> embedConcurrency = Integer.parseInt(args[++i]);
                    case "--embed-window" -> embedWindow = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + a + "; options: --rate N --seconds N "
                            + "--warmup N --words N --updates PERCENT --partitions N --bootstrap HOST:PORT --quantized|--fp32 "
                            + "--max-batch N --batch-latency-ms N --ceiling --edits --no-reuse --remote REPLICAS "
                            + "--instances N --index lucene|pgvector --postgres JDBC_SERVER_URL --embed-latency-ms MS "
                            + "--embed-per-text-ms MS --embed-slots N --embed-batch N --embed-concurrency N --embed-window TOKENS");
                }
            }
            if (instances < 1) throw new IllegalArgumentException("--instances must be >= 1");
            if (remote < 0) throw new IllegalArgumentException("--remote must be >= 0 (0: the embedded ONNX model)");
            if (index == null) index = instances > 1 ? "pgvector" : "lucene";
            if (!index.equals("lucene") && !index.equals("pgvector")) {
                throw new IllegalArgumentException("--index must be lucene or pgvector; got " + index);
            }
            if (instances > 1 && index.equals("lucene")) {
                throw new IllegalArgumentException("--instances " + instances + " needs --index pgvector: a Lucene index "
                        + "directory has one writer (its write.lock), so instances cannot share one");
            }
            // Enough partitions that every instance gets several.
            int parts = partitions != null ? partitions : Math.max(3, 3 * instances);
            return new Options(rate, seconds, warmup, words, updates, parts, bootstrap, quantized, batch, latency, ceiling,
                    edits, reuse, remote, instances, index, postgres, embedLatency, embedPerText, embedSlots, embedBatch,
                    embedConcurrency, embedWindow);
        }

        String embedding() {
            return remote > 0 ? "remote pool of " + remote + " (" + embedLatencyMs + " ms + " + embedPerTextMs
                    + " ms per text per batch; max_batch_size " + embedBatch + ", concurrency " + embedConcurrency + ")"
                    : quantized ? "MiniLM int8" : "MiniLM fp32";
        }
    }

    private StreamingBench() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        if (o.ceiling()) {
            ceiling(o);
            return;
        }
        Path work = Files.createTempDirectory("keel-bench-streaming");
        KafkaBroker broker = null;
        try {
            String bootstrap = o.bootstrap();
            if (bootstrap == null) {
                long t0 = System.nanoTime();
                broker = KafkaBroker.start(work.resolve("kafka"));
                bootstrap = broker.bootstrap();
                System.out.printf(Locale.ROOT, "in-process KRaft broker up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            }
            run(o, bootstrap, work);
        } finally {
            if (broker != null) broker.close();
            deleteTree(work);
        }
    }

    private static void run(Options o, String bootstrap, Path work) throws Exception {
        String topic = "keel-bench-" + System.currentTimeMillis();
        createTopics(bootstrap, topic, o.partitions());
        String database = o.index().equals("pgvector") ? createDatabase(o.postgres()) : null;
        EmbeddingFleet fleet = o.remote() > 0 ? new EmbeddingFleet(o.remote(), nanos(o.embedLatencyMs()),
                nanos(o.embedPerTextMs()), o.embedSlots()) : null;
        List<Instance> instances = new ArrayList<>();
        try {
            FreshnessTracker freshness = new FreshnessTracker(Duration.ofHours(1), 1_000_000, Clock.systemUTC());
            KafkaIngestionConfig config = KafkaIngestionConfig.of(bootstrap, topic, "bench")
                    .withBatching(o.maxBatchRecords(), Duration.ofMillis(o.batchLatencyMs()));
            for (int i = 0; i < o.instances(); i++) {
                instances.add(instance(o, work, database, fleet, config, freshness, i));
            }
            if (fleet != null) System.out.println(fleet.describe());
            String load = loadAverage();
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                for (Instance instance : instances) instance.ingestion.start();
                awaitAssigned(instances, o.partitions(), Duration.ofMinutes(2));
                Random random = new Random(42);
                int warmupEvents = (int) Math.round(o.warmupSeconds() * o.rate());
                int events = (int) Math.round(o.seconds() * o.rate());
                List<String> ids = new ArrayList<>();
                Map<String, String> texts = new HashMap<>();
                Map<String, Long> versions = new HashMap<>();
                long[] version = {0};
                System.out.printf(Locale.ROOT, "warm-up: %d s at %.0f events/s%n", o.warmupSeconds(), o.rate());
                send(producer, topic, o, random, ids, texts, versions, version, warmupEvents);
                awaitDrained(instances, o.partitions(), warmupEvents, Duration.ofMinutes(5));
                freshness.reset();
                instances.forEach(Instance::resetCounts);
                if (fleet != null) fleet.reset();

                System.out.printf(Locale.ROOT, "measuring: %d s at %.0f events/s of ~%d words, %d%% updates%s%n",
                        o.seconds(), o.rate(), o.words(), o.updatePercent(), o.edits() ? " (each rewrites one paragraph)" : "");
                long start = System.nanoTime();
                long late = send(producer, topic, o, random, ids, texts, versions, version, events);
                double produceSeconds = (System.nanoTime() - start) / 1e9;
                FreshnessSnapshot whileProducing = freshness.snapshot();
                long drainStart = System.nanoTime();
                awaitDrained(instances, o.partitions(), events, Duration.ofMinutes(10));
                double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
                double totalSeconds = (System.nanoTime() - start) / 1e9;
                FreshnessSnapshot s = freshness.snapshot();
                report(o, s, freshness.percentileMillis(0.95), whileProducing, events, produceSeconds, drainSeconds,
                        totalSeconds, late, load, instances, fleet, ids.size());
                verifyExactlyOnce(instances.getLast().index, versions);
            }
        } finally {
            for (Instance instance : instances.reversed()) instance.close();
            if (fleet != null) fleet.close();
            if (database != null) dropDatabase(o.postgres(), database);
        }
    }

    /** One instance: its own embedder (the local model, or a client of the remote pool) and its own index store. */
    private static Instance instance(Options o, Path work, String database, EmbeddingFleet fleet, KafkaIngestionConfig config,
                                     FreshnessTracker freshness, int i) {
        Embedder embedder = fleet != null ? fleet.client(o.embedBatch(), o.embedConcurrency(), o.embedWindow())
                : new OnnxEmbedder(embedding(o));
        IndexStore store = null;
        try {
            if (database == null) {
                store = new LuceneIndexStore(work.resolve("data"), embedder.info(), LuceneIndexConfig.DEFAULTS);
            } else {
                Map<String, Object> pg = Map.of("url", o.postgres() + database, "user", "postgres", "pool_size", 4);
                ConfigNode section = ConfigNode.root(Map.of("index", Map.of("backend", "pgvector", "pgvector", pg)), Map.of())
                        .child("index");
                store = new PgVectorIndexStoreFactory().open(new IndexStoreContext(work.resolve("instance-" + i),
                        embedder.info(), section, Clock.systemUTC(), null));
            }
            CollectionIndex collection = store.collection("bench", true);
            TimedIndex index = new TimedIndex(o.reuse() ? collection : new WithoutVectorReuse(collection));
            embedder.embedAll(List.of(Corpus.text(new Random(1), "warm", o.words()))); // load the session, open connections
            return new Instance(String.valueOf((char) ('a' + i)), embedder, store, index, config, freshness);
        } catch (RuntimeException e) {
            if (store != null) store.close();
            embedder.close();
            throw e;
        }
    }

    private static Duration nanos(double millis) {
        return Duration.ofNanos(Math.round(millis * 1e6));
    }

    private static OnnxEmbedderConfig embedding(Options o) {
        OnnxEmbedderConfig embedding = OnnxEmbedderConfig.defaults();
        if (o.quantized() == embedding.quantized()) return embedding;
        return new OnnxEmbedderConfig(o.quantized() ? OnnxEmbedderConfig.MINILM_QUANTIZED : OnnxEmbedderConfig.MINILM,
                embedding.batchSize(), embedding.workers(), embedding.queryThreads(), embedding.cacheSize(), embedding.maxQueryBatch());
    }

    /**
     * The embedder alone on this benchmark's own documents, cut as the pipeline cuts them: the most documents per
     * second any pipeline could apply on this machine, with nothing else (broker, index, merges) taking CPU.
     */
    private static void ceiling(Options o) throws IOException {
        try (OnnxEmbedder embedder = new OnnxEmbedder(embedding(o))) {
            MarkdownParser markdown = new MarkdownParser();
            Chunker chunker = new Chunker(embedder.tokenCounter(), ChunkerConfig.defaults());
            Random random = new Random(7);
            int documents = 60;
            System.out.printf(Locale.ROOT, "embedder ceiling: %s, %d documents of ~%d words per round, round 0 warms up%n",
                    o.quantized() ? "MiniLM int8" : "MiniLM fp32", documents, o.words());
            for (int round = 0; round < 5; round++) {
                List<String> texts = new ArrayList<>();
                for (int i = 0; i < documents; i++) {
                    String id = "ceiling-" + round + "-" + i;
                    Document d = markdown.parse(Corpus.text(random, id, o.words()).getBytes(StandardCharsets.UTF_8), id + ".md",
                            id, Instant.now(), DocumentDefaults.NONE);
                    for (Chunk c : chunker.chunk(d)) texts.add(c.embeddingText(d.title()));
                }
                long start = System.nanoTime();
                embedder.embedAll(texts);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "round %d: %d chunks in %.2f s = %.1f chunks/s = %.1f documents/s%n",
                        round, texts.size(), seconds, texts.size() / seconds, documents / seconds);
            }
        }
    }

    /** Sends {@code count} events on a fixed schedule; returns how many went out more than 50 ms behind it. */
    private static long send(KafkaProducer<byte[], byte[]> producer, String topic, Options o, Random random,
                             List<String> ids, Map<String, String> texts, Map<String, Long> versions, long[] version,
                             int count)
            throws InterruptedException {
        long interval = (long) (1e9 / o.rate());
        long start = System.nanoTime();
        long late = 0;
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
            else if (-wait > 50_000_000) late++;
            String id;
            boolean update = !ids.isEmpty() && random.nextInt(100) < o.updatePercent();
            if (update) {
                id = ids.get(random.nextInt(ids.size()));
            } else {
                id = "doc-" + ids.size();
                ids.add(id);
            }
            String text = update && o.edits() ? Corpus.edit(random, texts.get(id)) : Corpus.text(random, id, o.words());
            texts.put(id, text);
            versions.put(id, ++version[0]);
            DocumentEvent event = new DocumentEvent(DocumentEvent.Op.UPSERT, id, null, version[0], Instant.now(),
                    text, null, null, null, "text/markdown", null, null, null);
            producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), DocumentEvents.toBytes(event)));
        }
        producer.flush();
        return late;
    }

    /** Waits until the instances' consumers hold every partition between them, each at least one. */
    private static void awaitAssigned(List<Instance> instances, int partitions, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            int held = 0;
            boolean each = true;
            for (Instance i : instances) {
                int n = i.status().partitions().size();
                held += n;
                each &= n > 0;
            }
            if (held == partitions && each) return;
            Thread.sleep(100);
        }
        throw new IllegalStateException("the consumers did not get the topic's " + partitions + " partitions within " + max);
    }

    /**
     * Waits until the instances applied at least {@code sent} events since their counts were reset, every partition is
     * held and nothing received or written is left unapplied. (The backlog alone can read 0 before a consumer has
     * fetched what was just sent: its lag is refreshed between polls.)
     */
    private static void awaitDrained(List<Instance> instances, int partitions, long sent, Duration max)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            int held = 0;
            long backlog = 0;
            long applied = 0;
            for (Instance i : instances) {
                var status = i.status();
                held += status.partitions().size();
                backlog += status.backlog();
                applied += i.events.get();
            }
            if (applied >= sent && held == partitions && backlog == 0) return;
            Thread.sleep(100);
        }
        throw new IllegalStateException("the ingestion did not drain within " + max);
    }

    private static void report(Options o, FreshnessSnapshot s, double p95, FreshnessSnapshot whileProducing, int events,
                               double produceSeconds, double drainSeconds, double totalSeconds, long late, String load,
                               List<Instance> instances, EmbeddingFleet fleet, int distinctDocuments) {
        long applied = s.count(EventStatus.ACCEPTED) + s.count(EventStatus.UNCHANGED) + s.count(EventStatus.STALE);
        long appliedWhileProducing = whileProducing.count(EventStatus.ACCEPTED) + whileProducing.count(EventStatus.UNCHANGED)
                + whileProducing.count(EventStatus.STALE);
        CollectionIndex index = instances.getLast().index;
        var info = index.info();
        long embedded = instances.stream().mapToLong(i -> i.embedded.get()).sum();
        long reused = instances.stream().mapToLong(i -> i.reused.get()).sum();
        System.out.println();
        System.out.printf(Locale.ROOT, "setup                 %d instance(s) in one consumer group, %d partitions, %s index, %s%n",
                instances.size(), o.partitions(), o.index(), o.embedding());
        System.out.printf(Locale.ROOT, "offered rate          %.1f events/s for %.1f s (%d events, %d sent > 50 ms late)%n",
                events / produceSeconds, produceSeconds, events, late);
        System.out.printf(Locale.ROOT, "applied while offered %.1f events/s%n", appliedWhileProducing / produceSeconds);
        System.out.printf(Locale.ROOT, "sustained             %.1f events/s (all %d events searchable after %.1f s; drain %.1f s)%n",
                applied / totalSeconds, applied, totalSeconds, drainSeconds);
        System.out.printf(Locale.ROOT, "freshness             p50 %.0f ms  p95 %.0f ms  p99 %.0f ms  max %.0f ms  (%d events)%n",
                s.p50Millis(), p95, s.p99Millis(), s.maxMillis(), s.samples());
        System.out.printf(Locale.ROOT, "outcomes              accepted %d, unchanged %d, stale %d, rejected %d; failed batches %d%n",
                s.count(EventStatus.ACCEPTED), s.count(EventStatus.UNCHANGED), s.count(EventStatus.STALE),
                s.count(EventStatus.REJECTED), s.failedBatches());
        for (Instance i : instances) {
            long batches = Math.max(1, i.batches.get());
            System.out.printf(Locale.ROOT, "instance %s            %d partitions, %d events in %d batches, %d chunks embedded; "
                            + "per batch %.0f ms applying: %.0f ms embedding, %.0f ms looking up documents, %.0f ms writing, "
                            + "%.0f ms committing%n",
                    i.name, i.status().partitions().size(), i.events.get(), i.batches.get(), i.embedded.get(),
                    i.applyNanos.get() / 1e6 / batches, i.timed.nanos.get() / 1e6 / batches,
                    i.index.lookupNanos.get() / 1e6 / batches, i.index.writeNanos.get() / 1e6 / batches,
                    i.index.commitNanos.get() / 1e6 / batches);
        }
        System.out.printf(Locale.ROOT, "index                 %d documents (%d distinct sent), %d chunks, version %d%n",
                info.documents(), distinctDocuments, info.chunks(), info.version());
        System.out.printf(Locale.ROOT, "embedding             %d chunks embedded, %d vectors of unchanged chunks reused%n",
                embedded, reused);
        if (fleet != null) {
            List<Integer> requests = fleet.requests();
            int total = requests.stream().mapToInt(Integer::intValue).sum();
            System.out.printf(Locale.ROOT, "embedding requests    %d (per replica %s), %.1f texts per request, at most %d at once on a replica%n",
                    total, requests, total == 0 ? 0.0 : (double) embedded / total, fleet.maxConcurrent());
        }
        System.out.printf(Locale.ROOT, "machine               %d cores, load average before %s, after %s%n",
                Runtime.getRuntime().availableProcessors(), load, loadAverage());
        if (info.documents() != distinctDocuments) {
            throw new IllegalStateException("the index holds " + info.documents() + " documents; " + distinctDocuments + " were sent");
        }
    }

    /** Every document sent is in the index once, at the last version sent for it. */
    private static void verifyExactlyOnce(CollectionIndex index, Map<String, Long> versions) {
        int wrong = 0;
        for (var e : versions.entrySet()) {
            var held = index.document(e.getKey());
            if (held.isEmpty() || held.get().deleted() || held.get().version() != e.getValue()) {
                if (wrong++ < 5) System.out.println("  " + e.getKey() + ": sent version " + e.getValue() + ", index holds " + held);
            }
        }
        if (wrong > 0) throw new IllegalStateException(wrong + " documents are not at their last version sent");
        System.out.printf(Locale.ROOT, "exactly once          all %d documents at their last version sent%n", versions.size());
    }

    private static String createDatabase(String server) throws SQLException {
        String name = "keel_bench_stream_" + System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(server + "postgres", "postgres", "")) {
            c.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new SQLException("--index pgvector needs PostgreSQL with pgvector at " + server + " (user postgres); "
                    + "start it and run 'bash .ci/install-pgvector.sh', or name another with --postgres: " + e.getMessage(), e);
        }
        return name;
    }

    private static void dropDatabase(String server, String name) {
        try (Connection c = DriverManager.getConnection(server + "postgres", "postgres", "")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.out.println("could not drop the benchmark database " + name + ": " + e.getMessage());
        }
    }

    private static void createTopics(String bootstrap, String topic, int partitions) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1), new NewTopic(topic + ".dlq", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p);
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return parts[0] + "/" + parts[1] + "/" + parts[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
