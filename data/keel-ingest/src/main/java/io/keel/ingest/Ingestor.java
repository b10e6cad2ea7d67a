package io.keel.ingest;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.error.KeelException;
import io.keel.core.error.ModelMismatchException;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.Embedder;
import io.keel.ingest.chunk.Chunker;
import io.keel.ingest.parse.DocumentParser;
import io.keel.ingest.parse.DocumentSink;
import io.keel.ingest.parse.ParserRegistry;
import io.keel.ingest.parse.SourceFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Brings files into a collection: parses them, chunks them, embeds the chunks and writes them, doing only the work
 * that changed since the last run.
 *
 * <ul>
 *   <li><b>Incremental.</b> A document whose content hash equals the indexed one is skipped before it is parsed;
 *       a changed one is re-chunked, re-embedded and replaced whole. Indexed documents whose source lies under an
 *       ingested directory (or, for a JSONL file, whose line is gone from it) are deleted, unless
 *       {@link IngestOptions#deleteMissing()} is off. A file that fails to parse protects its indexed documents from
 *       that sweep.</li>
 *   <li><b>Resumable.</b> Chunks of several documents are embedded together in batches of
 *       {@link IngestOptions#batchSize()} texts; each document is then written whole with one
 *       {@link CollectionIndex#upsert}. The index is committed every {@link IngestOptions#commitEvery()} documents,
 *       every {@link IngestOptions#commitInterval()} and at the end, so a crash loses at most the uncommitted tail and
 *       the next run redoes exactly that: upsert by id makes duplicates impossible.</li>
 *   <li><b>Streaming.</b> Only one batch of documents, chunks and vectors is held at a time.</li>
 *   <li><b>Failures.</b> A file, record or document that cannot be read or chunked is reported in
 *       {@link IngestReport#failed()} and never half-written; unsupported files are reported in
 *       {@link IngestReport#skipped()}. A failure of the embedder or the index ends the run: what was written is
 *       committed first, and the exception propagates.</li>
 * </ul>
 *
 * <p>An {@code Ingestor} holds no state between runs and may be reused; runs on the same collection must not overlap.
 *
 * <p>Longer than most classes on purpose: the batching of chunks across documents, the commit schedule and the failure
 * rules above act on the state of one run and are verified read together.
 */
public final class Ingestor {
    private final Embedder embedder;
    private final ParserRegistry parsers;
    private final IngestOptions options;
    private final Chunker chunker;
    private final ChunkScreen screen;

    /** With every built-in parser. */
    public Ingestor(Embedder embedder, IngestOptions options) {
        this(embedder, ParserRegistry.defaults(), options);
    }

    public Ingestor(Embedder embedder, ParserRegistry parsers, IngestOptions options) {
        this(embedder, parsers, options, ChunkScreen.NONE);
    }

    /** @param screen decides per chunk whether it is indexed or quarantined (see {@link ChunkScreen}) */
    public Ingestor(Embedder embedder, ParserRegistry parsers, IngestOptions options, ChunkScreen screen) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.parsers = Objects.requireNonNull(parsers, "parsers");
        this.options = Objects.requireNonNull(options, "options");
        this.chunker = new Chunker(embedder.tokenCounter(), options.chunking());
        this.screen = java.util.Objects.requireNonNull(screen, "screen");
    }

    public IngestOptions options() {
        return options;
    }

    /** The chunker this ingestor uses, bound to the embedder's tokenizer. */
    public Chunker chunker() {
        return chunker;
    }

    /** Ingests files and directories (recursively) into {@code index}. */
    public IngestReport ingest(CollectionIndex index, List<Path> paths) {
        return ingest(index, paths, ProgressListener.NONE);
    }

    /**
     * Ingests files and directories (recursively, hidden entries skipped) into {@code index}.
     *
     * @throws ModelMismatchException when the index holds vectors of another embedding model
     * @throws KeelException          or any exception of the embedder or the index, after committing what was written
     */
    public IngestReport ingest(CollectionIndex index, List<Path> paths, ProgressListener listener) {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(paths, "paths");
        String indexed = index.info().embeddingModel();
        String configured = embedder.info().fingerprint();
        if (indexed != null && !indexed.isBlank() && !indexed.equals(configured)) {
            throw new ModelMismatchException(index.name(), indexed, configured);
        }
        return new Run(index, Objects.requireNonNullElse(listener, ProgressListener.NONE)).execute(paths);
    }

    /** A file to read: where it is, its path below the root, and its size. */
    private record Input(Path path, String relativePath, long size) {
    }

    /** A document waiting for its chunks' vectors. */
    private record Pending(Document document, List<Chunk> chunks, boolean replaces) {
    }

    /** State of one {@link #ingest} call. */
    private final class Run {
        private final CollectionIndex index;
        private final ProgressListener listener;
        private final long startNanos = System.nanoTime();

        private final List<IngestReport.Problem> failed = new ArrayList<>();
        private final List<IngestReport.Problem> skipped = new ArrayList<>();
        private final List<IngestReport.Problem> quarantined = new ArrayList<>();
        private int added;
        private int updated;
        private int unchanged;
        private int deleted;
        private long chunksWritten;
        private long vectorsReused;

        /** Document id to the source that claimed it in this run: never deleted, never claimed twice. */
        private final Map<String, String> seen = new HashMap<>();
        /** Ids of indexed documents whose file failed: kept as they are. */
        private final Set<String> protectedIds = new HashSet<>();
        private final List<Pending> batch = new ArrayList<>();
        private int batchChunks;

        private int uncommitted;
        private long documentsWritten;
        private long lastCommitNanos = startNanos;
        private long version;

        private int filesDone;
        private int filesTotal;
        private long bytesDone;
        private long bytesTotal;
        private long bytesInFile;
        private long documentsDone;
        private String current = "";

        Run(CollectionIndex index, ProgressListener listener) {
            this.index = index;
            this.listener = listener;
        }

        IngestReport execute(List<Path> paths) {
            Map<Path, Input> inputs = new LinkedHashMap<>();
            List<String> sweeps = new ArrayList<>();
            for (Path path : paths) collect(path, inputs, sweeps);
            filesTotal = inputs.size();
            bytesTotal = inputs.values().stream().mapToLong(Input::size).sum();
            try {
                for (Input input : inputs.values()) ingestFile(input);
                flush();
                if (options.deleteMissing()) sweep(sweeps);
                version = commit();
            } catch (RuntimeException e) {
                try {
                    if (uncommitted > 0) commit();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            current = "";
            progress();
            return new IngestReport(added, updated, unchanged, deleted, failed, skipped, quarantined, chunksWritten,
                    vectorsReused, elapsed(), version);
        }

        private void collect(Path given, Map<Path, Input> inputs, List<String> sweeps) {
            Path path = given.toAbsolutePath().normalize();
            if (!Files.exists(path)) {
                fail(given.toString(), "no such file or directory");
                return;
            }
            boolean directory = Files.isDirectory(path);
            Path root = options.root() != null ? options.root().toAbsolutePath().normalize()
                    : parentOrSelf(directory ? path : parentOrSelf(path));
            if (!path.startsWith(root)) {
                fail(given.toString(), "lies outside the ingest root " + root);
                return;
            }
            if (!directory) {
                String relative = SourceFile.relativize(root, path);
                inputs.putIfAbsent(path, new Input(path, relative, size(path)));
                sweeps.add(relative + "#");
                return;
            }
            boolean[] complete = {true};
            List<Path> files = new ArrayList<>();
            try {
                Files.walkFileTree(path, Set.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        return !dir.equals(path) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile() && !hidden(file)) files.add(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        complete[0] = false;
                        fail(SourceFile.relativize(root, file), "cannot read: " + e.getMessage());
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                complete[0] = false;
                fail(given.toString(), "cannot list: " + e.getMessage());
            }
            files.sort(null);
            for (Path file : files) {
                inputs.putIfAbsent(file, new Input(file, SourceFile.relativize(root, file), size(file)));
            }
            if (complete[0]) sweeps.add(path.equals(root) ? "" : SourceFile.relativize(root, path) + "/");
        }

        private void ingestFile(Input input) {
            current = input.relativePath();
            bytesInFile = 0;
            Optional<DocumentParser> parser = parsers.forFile(input.path());
            if (parser.isEmpty()) {
                String name = input.path().getFileName().toString();
                int dot = name.lastIndexOf('.');
                skipped.add(new IngestReport.Problem(input.relativePath(),
                        dot < 0 ? "no extension; cannot tell its format" : "no parser for '" + name.substring(dot) + "' files"));
            } else if (input.size() > options.maxFileBytes()) {
                failFile(input, input.size() + " bytes is over the limit of " + options.maxFileBytes() + " (ingest.max_file_mb)");
            } else {
                try {
                    parser.get().parse(new SourceFile(input.path(), input.relativePath(), options.documentDefaults()), new FileSink(input));
                } catch (IOException | UncheckedIOException e) {
                    failFile(input, message(e));
                } catch (SinkFailure e) {
                    throw e.failure;
                } catch (RuntimeException e) {
                    failFile(input, message(e));
                }
            }
            filesDone++;
            bytesDone += input.size();
            bytesInFile = 0;
            progress();
        }

        /** Reports a file and keeps the documents it had in the index: it still exists, it just did not read. */
        private void failFile(Input input, String reason) {
            fail(input.relativePath(), reason);
            protectedIds.addAll(index.documentHashes(input.relativePath()).keySet());
        }

        private void fail(String source, String reason) {
            IngestReport.Problem problem = new IngestReport.Problem(source, reason);
            failed.add(problem);
            listener.failed(problem);
        }

        /** Receives one file's documents; anything the embedder or index throws is carried out as a SinkFailure. */
        private final class FileSink implements DocumentSink {
            private final Input input;
            private final Map<String, Boolean> replaces = new HashMap<>();

            FileSink(Input input) {
                this.input = input;
            }

            @Override
            public boolean wants(String documentId, String contentHash) {
                String earlier = seen.putIfAbsent(documentId, input.relativePath());
                if (earlier != null) {
                    fail(input.relativePath(), "document id '" + documentId + "' is already used by " + earlier);
                    return false;
                }
                Optional<String> indexedHash = guarded(() -> index.contentHash(documentId));
                if (indexedHash.isPresent() && indexedHash.get().equals(contentHash)) {
                    unchanged++;
                    documentsDone++;
                    return false;
                }
                replaces.put(documentId, indexedHash.isPresent());
                return true;
            }

            @Override
            public void accept(Document document) {
                boolean replacing = Boolean.TRUE.equals(replaces.remove(document.id()));
                List<Chunk> chunks;
                try {
                    chunks = screened(document, chunker.chunk(document));
                } catch (KeelException | IllegalArgumentException | IllegalStateException e) {
                    fail(document.source(), message(e));
                    return;
                }
                batch.add(new Pending(document, chunks, replacing));
                batchChunks += chunks.size();
                if (batchChunks >= options.batchSize()) guarded(() -> {
                    flush();
                    return null;
                });
            }

            @Override
            public void rejected(String location, String reason) {
                fail(location, reason);
            }

            @Override
            public void position(long bytesRead) {
                bytesInFile = Math.min(bytesRead, input.size());
            }
        }

        /** The chunks the screen lets through; the others are reported as quarantined and never indexed. */
        private List<Chunk> screened(Document document, List<Chunk> chunks) {
            if (screen == ChunkScreen.NONE) return chunks;
            List<Chunk> kept = new ArrayList<>(chunks.size());
            for (Chunk chunk : chunks) {
                Optional<String> reason = screen.quarantine(index.name(), chunk);
                if (reason.isEmpty()) {
                    kept.add(chunk);
                } else {
                    IngestReport.Problem p = new IngestReport.Problem(document.source() + "#" + chunk.ordinal(), reason.get());
                    quarantined.add(p);
                    listener.failed(p);
                }
            }
            return kept;
        }

        /**
         * Embeds the batch's chunks (reusing the vectors of chunks an updated file's indexed copy already had), writes
         * each document whole, and commits when due.
         */
        private void flush() {
            if (batch.isEmpty()) return;
            List<ChunkVectors.Item> items = new ArrayList<>(batch.size());
            for (Pending pending : batch) items.add(new ChunkVectors.Item(pending.document(), pending.chunks(), pending.replaces()));
            ChunkVectors.Result vectors = ChunkVectors.of(items, index, embedder, options.batchSize());
            vectorsReused += vectors.reused();
            for (int i = 0; i < batch.size(); i++) {
                Pending pending = batch.get(i);
                int n = pending.chunks().size();
                index.upsert(pending.document(), pending.chunks(), vectors.vectors().get(i));
                if (pending.replaces()) updated++;
                else added++;
                chunksWritten += n;
                documentsDone++;
                documentsWritten++;
                uncommitted++;
            }
            batch.clear();
            batchChunks = 0;
            commitIfDue();
            progress();
        }

        private void sweep(List<String> prefixes) {
            for (String prefix : prefixes) {
                for (String id : index.documentHashes(prefix).keySet()) {
                    if (seen.containsKey(id) || protectedIds.contains(id)) continue;
                    index.delete(id);
                    deleted++;
                    uncommitted++;
                    seen.put(id, "(deleted)");
                    commitIfDue();
                }
            }
        }

        private void commitIfDue() {
            if (uncommitted >= options.commitEvery()
                    || (uncommitted > 0 && System.nanoTime() - lastCommitNanos >= options.commitInterval().toNanos())) {
                commit();
            }
        }

        private long commit() {
            long v = index.commit();
            uncommitted = 0;
            lastCommitNanos = System.nanoTime();
            listener.committed(v, documentsWritten);
            return v;
        }

        private void progress() {
            Duration elapsed = elapsed();
            double seconds = elapsed.toNanos() / 1e9;
            listener.progress(new IngestProgress(filesDone, filesTotal, bytesDone + bytesInFile, bytesTotal, documentsDone,
                    chunksWritten, seconds > 0 ? chunksWritten / seconds : 0, elapsed, current));
        }

        private Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }
    }

    /** Carries an embedder or index failure through a parser, which would otherwise report it as a parse error. */
    private static final class SinkFailure extends RuntimeException {
        private final RuntimeException failure;

        SinkFailure(RuntimeException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }

    private static <T> T guarded(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw new SinkFailure(e);
        }
    }

    private static boolean hidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    private static Path parentOrSelf(Path path) {
        Path parent = path.getParent();
        return parent == null ? path : parent;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
