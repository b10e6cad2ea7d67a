package io.keel.ingest.chunk;

import io.keel.core.document.Block;
import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.TokenCounter;

import java.text.BreakIterator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Cuts a document into chunks that the embedding model sees whole.
 *
 * <ul>
 *   <li>A heading closes the current chunk and sets the heading path of the chunks after it; heading text travels in
 *       {@link Chunk#headingPath()}, not in the chunk text.</li>
 *   <li>Paragraphs, list items, code and tables of one section are packed together, whole sentences at a time
 *       ({@link BreakIterator}); code and tables go line by line. Blocks are separated by a blank line in the chunk
 *       text, sentences of one block by a space.</li>
 *   <li>A sentence longer than a chunk is split at word boundaries, and a word longer than a chunk at characters.</li>
 *   <li>Every chunk's {@link Chunk#embeddingText(String) embedding text} — title and heading path included — counts
 *       at most {@link #maxTokens()} tokens with the model's own tokenizer; {@link Chunk#tokens()} holds the count.</li>
 *   <li>The last {@link ChunkerConfig#overlapSentences()} sentences of a chunk open the next chunk of the same
 *       section, unless they would take more than a quarter of it.</li>
 * </ul>
 *
 * <p>When title and heading path leave fewer than {@value #MIN_TEXT_TOKENS} tokens for text, the outermost headings
 * are left out of the path; a title that alone leaves too little fails the document with
 * {@link ErrorCode#UNPROCESSABLE}. Thread-safe when the token counter is.
 */
public final class Chunker {
    /** The fewest tokens a chunk must have room for after its title and heading path. */
    public static final int MIN_TEXT_TOKENS = 16;

    /** Bounds the search for a cut in an over-long word; no tokenizer packs more characters into a token. */
    private static final int MAX_CHARS_PER_TOKEN = 64;

    private final TokenCounter counter;
    private final ChunkerConfig config;
    private final int limit;
    private final int specialTokens;

    public Chunker(TokenCounter counter, ChunkerConfig config) {
        this.counter = Objects.requireNonNull(counter, "counter");
        this.config = Objects.requireNonNull(config, "config");
        int window = counter.maxTokens();
        this.limit = config.maxTokens() == 0 ? window : Math.min(config.maxTokens(), window);
        this.specialTokens = counter.countTokens("");
        if (limit - specialTokens < MIN_TEXT_TOKENS) {
            throw KeelException.invalid("chunking.max_tokens=" + limit + " leaves no room for text; use at least "
                    + (specialTokens + MIN_TEXT_TOKENS));
        }
    }

    /** The bound every chunk's embedding text respects, special tokens included. */
    public int maxTokens() {
        return limit;
    }

    public ChunkerConfig config() {
        return config;
    }

    /**
     * The chunks of {@code document} in reading order, with ids {@code documentId#0}, {@code #1}, ...
     *
     * @throws KeelException ({@link ErrorCode#UNPROCESSABLE}) when the title leaves no room for text
     */
    public List<Chunk> chunk(Document document) {
        Run run = new Run(document);
        for (Block block : document.blocks()) run.add(block);
        run.endSection();
        return List.copyOf(run.chunks);
    }

    /**
     * A sentence, a code or table line, or a piece of an over-long one. {@code block} says where it came from,
     * {@code spaced} whether whitespace separated it from the unit before it in the block.
     */
    private record Unit(String text, int tokens, int block, boolean lines, boolean spaced) {
        Unit withText(String text, int tokens, boolean spaced) {
            return new Unit(text, tokens, block, lines, spaced);
        }
    }

    private int tokens(String text) {
        return counter.countTokens(text) - specialTokens;
    }

    /** State of one {@link #chunk} call. */
    private final class Run {
        private final Document document;
        private final String title;
        private final List<Chunk> chunks = new ArrayList<>();
        private final List<Block> headings = new ArrayList<>();
        private final List<Unit> section = new ArrayList<>();
        private List<String> path = List.of();
        private int budget;
        private int blockIndex;

        Run(Document document) {
            this.document = document;
            this.title = document.title();
            setPath();
        }

        void add(Block block) {
            blockIndex++;
            if (block.kind() == Block.Kind.HEADING) {
                endSection();
                while (!headings.isEmpty() && headings.getLast().level() >= block.level()) headings.removeLast();
                headings.add(block);
                setPath();
                return;
            }
            boolean lines = block.kind() == Block.Kind.CODE || block.kind() == Block.Kind.TABLE;
            List<String> pieces = lines ? List.of(block.text().split("\\R")) : sentences(block.text());
            for (String piece : pieces) {
                String text = lines ? piece.stripTrailing() : piece.strip();
                if (text.isBlank()) continue;
                Unit unit = new Unit(text, tokens(text), blockIndex, lines, true);
                if (unit.tokens() <= budget) section.add(unit);
                else section.addAll(splitWords(unit));
            }
        }

        /** Heading path of the current section, shortened from the outside until text has room. */
        private void setPath() {
            List<String> full = headings.stream().map(Block::text).toList();
            for (int drop = 0; drop <= full.size(); drop++) {
                List<String> candidate = full.subList(drop, full.size());
                int prefix = counter.countTokens(new Chunk("-", "-", 0, "", candidate, 0).embeddingText(title));
                if (limit - prefix >= MIN_TEXT_TOKENS) {
                    path = List.copyOf(candidate);
                    budget = limit - prefix;
                    return;
                }
            }
            throw new KeelException(ErrorCode.UNPROCESSABLE, "document '" + document.id() + "': its title leaves fewer than "
                    + MIN_TEXT_TOKENS + " of the " + limit + " tokens the embedding model sees; shorten the title");
        }

        void endSection() {
            if (!section.isEmpty()) pack(section);
            section.clear();
        }

        private void pack(List<Unit> units) {
            Deque<Unit> queue = new ArrayDeque<>(units);
            List<Unit> current = new ArrayList<>();
            int carried = 0;
            while (!queue.isEmpty() || current.size() > carried) {
                if (queue.isEmpty()) {
                    carried = emit(current, carried, queue);
                    continue;
                }
                Unit next = queue.peekFirst();
                if (sum(current) + next.tokens() > budget) {
                    if (current.size() > carried) {
                        carried = emit(current, carried, queue);
                        continue;
                    }
                    if (carried > 0) {
                        current.removeFirst();
                        carried--;
                        continue;
                    }
                    queue.pollFirst();
                    splitWords(next).reversed().forEach(queue::addFirst);
                    continue;
                }
                current.add(queue.pollFirst());
            }
        }

        /**
         * Writes {@code current} as a chunk, handing back to {@code queue} whatever the real token count rejects,
         * and leaves the overlap for the next chunk in {@code current}; returns the overlap's size.
         */
        private int emit(List<Unit> current, int carried, Deque<Unit> queue) {
            while (true) {
                String text = join(current);
                int ordinal = chunks.size();
                Chunk chunk = new Chunk(Chunk.idOf(document.id(), ordinal), document.id(), ordinal, text, path, 0);
                int tokens = counter.countTokens(chunk.embeddingText(title));
                if (tokens <= limit) {
                    chunks.add(new Chunk(chunk.id(), chunk.documentId(), ordinal, text, path, tokens));
                    break;
                }
                if (current.size() - carried > 1) {
                    queue.addFirst(current.removeLast());
                } else if (carried > 0) {
                    current.removeFirst();
                    carried--;
                } else {
                    splitHalves(current.removeLast()).reversed().forEach(queue::addFirst);
                    return 0;
                }
            }
            List<Unit> overlap = new ArrayList<>();
            int overlapTokens = 0;
            for (int i = current.size() - 1; i >= 0 && overlap.size() < config.overlapSentences(); i--) {
                Unit unit = current.get(i);
                if (overlapTokens + unit.tokens() > budget / 4) break;
                overlap.addFirst(unit);
                overlapTokens += unit.tokens();
            }
            current.clear();
            current.addAll(overlap);
            return overlap.size();
        }

        /** Greedy pieces of whole words that each fit the budget; a word that alone does not fit is cut. */
        private List<Unit> splitWords(Unit unit) {
            List<Unit> pieces = new ArrayList<>();
            StringBuilder piece = new StringBuilder();
            int pieceTokens = 0;
            for (String word : unit.text().strip().split("\\s+")) {
                int wordTokens = tokens(word);
                if (wordTokens > budget) {
                    if (!piece.isEmpty()) pieces.add(unit.withText(piece.toString(), pieceTokens, pieces.isEmpty() ? unit.spaced() : true));
                    piece.setLength(0);
                    pieceTokens = 0;
                    pieces.addAll(splitChars(word, unit.withText(word, wordTokens, pieces.isEmpty() ? unit.spaced() : true)));
                    continue;
                }
                if (!piece.isEmpty() && pieceTokens + wordTokens > budget) {
                    pieces.add(unit.withText(piece.toString(), pieceTokens, pieces.isEmpty() ? unit.spaced() : true));
                    piece.setLength(0);
                    pieceTokens = 0;
                }
                if (!piece.isEmpty()) piece.append(' ');
                piece.append(word);
                pieceTokens += wordTokens;
            }
            if (!piece.isEmpty()) pieces.add(unit.withText(piece.toString(), pieceTokens, pieces.isEmpty() ? unit.spaced() : true));
            return pieces;
        }

        /** Longest prefixes of {@code word} that fit the budget, found by binary search on the real count. */
        private List<Unit> splitChars(String word, Unit unit) {
            List<Unit> pieces = new ArrayList<>();
            String rest = word;
            while (!rest.isEmpty()) {
                int lo = 1;
                int hi = Math.min(rest.length(), budget * MAX_CHARS_PER_TOKEN);
                while (lo < hi) {
                    int mid = (lo + hi + 1) >>> 1;
                    if (tokens(rest.substring(0, cut(rest, mid))) <= budget) lo = mid;
                    else hi = mid - 1;
                }
                int end = cut(rest, lo);
                String head = rest.substring(0, end);
                pieces.add(unit.withText(head, tokens(head), pieces.isEmpty() && unit.spaced()));
                rest = rest.substring(end);
            }
            return pieces;
        }

        /** A unit whose estimate undercounted, split in two so that each half can be packed and counted again. */
        private List<Unit> splitHalves(Unit unit) {
            String text = unit.text();
            int middle = text.length() / 2;
            int space = text.lastIndexOf(' ', middle);
            if (space <= 0) space = text.indexOf(' ', middle);
            int at = space > 0 ? space : cut(text, Math.max(1, middle));
            String left = text.substring(0, at).strip();
            String right = text.substring(at).strip();
            if (left.isEmpty() || right.isEmpty()) {
                throw new IllegalStateException("cannot fit '" + text + "' into " + limit + " tokens");
            }
            return List.of(unit.withText(left, tokens(left), unit.spaced()),
                    unit.withText(right, tokens(right), space > 0));
        }

        private List<String> sentences(String text) {
            BreakIterator it = BreakIterator.getSentenceInstance(config.locale());
            it.setText(text);
            List<String> out = new ArrayList<>();
            int start = it.first();
            for (int end = it.next(); end != BreakIterator.DONE; end = it.next()) {
                // A boundary with no whitespace before the next sentence ("PPAR?-dependent") is not one: keep words whole.
                if (end < text.length() && !Character.isWhitespace(text.charAt(end - 1))) continue;
                out.add(text.substring(start, end));
                start = end;
            }
            if (start < text.length()) out.add(text.substring(start));
            return out;
        }
    }

    /** {@code at}, moved back one char when it would split a surrogate pair. */
    private static int cut(String s, int at) {
        if (at > 1 && at < s.length() && Character.isLowSurrogate(s.charAt(at)) && Character.isHighSurrogate(s.charAt(at - 1))) {
            return at - 1;
        }
        return at;
    }

    private static int sum(List<Unit> units) {
        int total = 0;
        for (Unit unit : units) total += unit.tokens();
        return total;
    }

    private static String join(List<Unit> units) {
        StringBuilder sb = new StringBuilder();
        Unit previous = null;
        for (Unit unit : units) {
            if (previous != null) {
                if (previous.block() != unit.block()) sb.append("\n\n");
                else if (unit.spaced()) sb.append(unit.lines() ? "\n" : " ");
            }
            sb.append(unit.text());
            previous = unit;
        }
        return sb.toString();
    }
}
