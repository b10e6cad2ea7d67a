package io.keel.bench.streaming;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.spi.CollectionIndex;
import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.embed.onnx.OnnxEmbedderConfig;
import io.keel.index.lucene.LuceneIndexConfig;
import io.keel.index.lucene.LuceneIndexStore;
import io.keel.ingest.chunk.Chunker;
import io.keel.ingest.chunk.ChunkerConfig;
import io.keel.ingest.parse.DocumentDefaults;
import io.keel.ingest.parse.MarkdownParser;
import io.keel.stream.DocumentEvent;
import io.keel.stream.DocumentEvents;
import io.keel.stream.EventApplier;
import io.keel.stream.EventStatus;
import io.keel.stream.FreshnessSnapshot;
import io.keel.stream.FreshnessTracker;
import io.keel.stream.kafka.KafkaBroker;
import io.keel.stream.kafka.KafkaIngestion;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Freshness under a steady stream: a producer writes document events to Kafka at a fixed rate (new documents of about
 * {@code --words} words, a share of them updates of earlier ones), a {@link KafkaIngestion} applies them to a Lucene
 * collection with the ONNX MiniLM embedder, and the {@link FreshnessTracker} measures each event's time from its
 * {@code event_time} (set when the producer sends it) to the index commit that made it searchable.
 *
 * <p>Runs against an in-process single-node KRaft broker unless {@code --bootstrap} names a cluster. A warm-up is
 * excluded from the numbers; after the producer stops, the time to drain what is left is reported too, and the
 * index is checked to hold exactly one copy of every document sent.
 *
 * <pre>
 * ./mvnw -q -f bench/streaming/pom.xml compile exec:java -Dexec.args="--rate 50 --seconds 40 --words 200"
 * </pre>
 */
public final class StreamingBench {
    private record Options(double rate, int seconds, int warmupSeconds, int words, int updatePercent, int partitions,
                           String bootstrap, boolean quantized, int maxBatchRecords, int batchLatencyMs, boolean ceiling,
                           boolean edits, boolean reuse) {
        static Options parse(String[] args) {
            double rate = 50;
            int seconds = 40;
            int warmup = 10;
            int words = 200;
            int updates = 10;
            int partitions = 3;
            String bootstrap = null;
            boolean quantized = OnnxEmbedderConfig.defaults().quantized();
            int batch = 256;
            int latency = 20;
            boolean ceiling = false;
            boolean edits = false;
            boolean reuse = true;
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
                    default -> throw new IllegalArgumentException("unknown option " + a + "; options: --rate N --seconds N "
                            + "--warmup N --words N --updates PERCENT --partitions N --bootstrap HOST:PORT --quantized|--fp32 "
                            + "--max-batch N --batch-latency-ms N --ceiling --edits --no-reuse");
                }
            }
            return new Options(rate, seconds, warmup, words, updates, partitions, bootstrap, quantized, batch, latency, ceiling,
                    edits, reuse);
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
        try (OnnxEmbedder embedder = new OnnxEmbedder(embedding(o));
             LuceneIndexStore store = new LuceneIndexStore(work.resolve("data"), embedder.info(), LuceneIndexConfig.DEFAULTS)) {
            CollectionIndex collection = store.collection("bench", true);
            CollectionIndex index = o.reuse() ? collection : new WithoutVectorReuse(collection);
            EventApplier applier = new EventApplier(embedder);
            AtomicLong[] embeddedAndReused = {new AtomicLong(), new AtomicLong()}; // written by the ingestion thread
            applier.observe((name, batch, nanos) -> {
                embeddedAndReused[0].addAndGet(batch.chunksEmbedded());
                embeddedAndReused[1].addAndGet(batch.vectorsReused());
            });
            FreshnessTracker freshness = new FreshnessTracker(Duration.ofHours(1), 1_000_000, Clock.systemUTC());
            KafkaIngestionConfig config = KafkaIngestionConfig.of(bootstrap, topic, "bench")
                    .withBatching(o.maxBatchRecords(), Duration.ofMillis(o.batchLatencyMs()));
            embedder.embedAll(List.of(Corpus.text(new Random(1), "warm", o.words()))); // load the document session
            String load = loadAverage();
            try (KafkaIngestion ingestion = new KafkaIngestion(config, index, applier, freshness);
                 KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                ingestion.start();
                Random random = new Random(42);
                int warmupEvents = (int) Math.round(o.warmupSeconds() * o.rate());
                int events = (int) Math.round(o.seconds() * o.rate());
                List<String> ids = new ArrayList<>();
                Map<String, String> texts = new HashMap<>();
                long[] version = {0};
                System.out.printf(Locale.ROOT, "warm-up: %d s at %.0f events/s%n", o.warmupSeconds(), o.rate());
                send(producer, topic, o, random, ids, texts, version, warmupEvents);
                awaitDrained(ingestion, Duration.ofMinutes(5));
                freshness.reset();

                System.out.printf(Locale.ROOT, "measuring: %d s at %.0f events/s of ~%d words, %d%% updates%s%n",
                        o.seconds(), o.rate(), o.words(), o.updatePercent(), o.edits() ? " (each rewrites one paragraph)" : "");
                embeddedAndReused[0].set(0);
                embeddedAndReused[1].set(0);
                long start = System.nanoTime();
                long late = send(producer, topic, o, random, ids, texts, version, events);
                double produceSeconds = (System.nanoTime() - start) / 1e9;
                FreshnessSnapshot whileProducing = freshness.snapshot();
                long drainStart = System.nanoTime();
                awaitDrained(ingestion, Duration.ofMinutes(10));
                double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
                double totalSeconds = (System.nanoTime() - start) / 1e9;
                FreshnessSnapshot s = freshness.snapshot();
                report(o, s, whileProducing, events, produceSeconds, drainSeconds, totalSeconds, late, load, index, ids.size(),
                        embeddedAndReused);
            }
        }
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
                             List<String> ids, Map<String, String> texts, long[] version, int count)
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
            DocumentEvent event = new DocumentEvent(DocumentEvent.Op.UPSERT, id, null, ++version[0], Instant.now(),
                    text, null, null, null, "text/markdown", null, null, null);
            producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), DocumentEvents.toBytes(event)));
        }
        producer.flush();
        return late;
    }

    private static void awaitDrained(KafkaIngestion ingestion, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            var status = ingestion.status();
            if (!status.partitions().isEmpty() && status.backlog() == 0) return;
            Thread.sleep(100);
        }
        throw new IllegalStateException("the ingestion did not drain within " + max);
    }

    private static void report(Options o, FreshnessSnapshot s, FreshnessSnapshot whileProducing, int events,
                               double produceSeconds, double drainSeconds, double totalSeconds, long late, String load,
                               CollectionIndex index, int distinctDocuments, AtomicLong[] embeddedAndReused) {
        long applied = s.count(EventStatus.ACCEPTED) + s.count(EventStatus.UNCHANGED) + s.count(EventStatus.STALE);
        long appliedWhileProducing = whileProducing.count(EventStatus.ACCEPTED) + whileProducing.count(EventStatus.UNCHANGED)
                + whileProducing.count(EventStatus.STALE);
        var info = index.info();
        System.out.println();
        System.out.printf(Locale.ROOT, "offered rate          %.1f events/s for %.1f s (%d events, %d sent > 50 ms late)%n",
                events / produceSeconds, produceSeconds, events, late);
        System.out.printf(Locale.ROOT, "applied while offered %.1f events/s%n", appliedWhileProducing / produceSeconds);
        System.out.printf(Locale.ROOT, "sustained             %.1f events/s (all %d events searchable after %.1f s; drain %.1f s)%n",
                applied / totalSeconds, applied, totalSeconds, drainSeconds);
        System.out.printf(Locale.ROOT, "freshness             p50 %.0f ms  p99 %.0f ms  max %.0f ms  (%d events)%n",
                s.p50Millis(), s.p99Millis(), s.maxMillis(), s.samples());
        System.out.printf(Locale.ROOT, "outcomes              accepted %d, unchanged %d, stale %d, rejected %d; failed batches %d%n",
                s.count(EventStatus.ACCEPTED), s.count(EventStatus.UNCHANGED), s.count(EventStatus.STALE),
                s.count(EventStatus.REJECTED), s.failedBatches());
        System.out.printf(Locale.ROOT, "index                 %d documents (%d distinct sent), %d chunks, version %d%n",
                info.documents(), distinctDocuments, info.chunks(), info.version());
        System.out.printf(Locale.ROOT, "embedding             %d chunks embedded, %d vectors of unchanged chunks reused%n",
                embeddedAndReused[0].get(), embeddedAndReused[1].get());
        System.out.printf(Locale.ROOT, "machine               %d cores, load average before %s, after %s; %s%n",
                Runtime.getRuntime().availableProcessors(), load, loadAverage(), o.quantized() ? "MiniLM int8" : "MiniLM fp32");
        if (info.documents() != distinctDocuments) {
            throw new IllegalStateException("the index holds " + info.documents() + " documents; " + distinctDocuments + " were sent");
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
