package io.redjar.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the {@code io.redjar} dependencies of Java sources without compiling them: every
 * {@code io.redjar...Type} written out (imports, static imports, fully qualified names), every
 * wildcard import, and, inside one package, every simple name of a sibling type. Comments and
 * string literals are stripped first. Used by the structure tests of both modules
 * ({@code PackageStructureTest}, the RESP module's {@code NoInternalImportsTest}); also finds the
 * cycles of a dependency graph (Tarjan's strongly connected components).
 *
 * <p><b>Thread-safety:</b> stateless; thread-safe.
 */
public final class SourceDependencies {
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\b(io\\.redjar(?:\\.[a-z_]\\w*)*)\\.([A-Z]\\w*)");
    private static final Pattern WILDCARD = Pattern.compile("^\\s*import\\s+(?:static\\s+)?(io\\.redjar(?:\\.[a-z_]\\w*)*)\\.\\*\\s*;", Pattern.MULTILINE);
    private static final Pattern COMMENTS_AND_STRINGS = Pattern.compile(
        "/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])+'", Pattern.DOTALL);

    private SourceDependencies() {
    }

    /** One source file: its package, its top-level type's simple name, and its code without comments or strings. */
    public record Source(Path path, String pkg, String simpleName, String code) {
        /** @return the fully qualified name of the file's top-level type */
        public String fqcn() {
            return pkg + "." + simpleName;
        }
    }

    /** A reference from one source to a type ({@code type} is null for a wildcard import of {@code pkg}). */
    public record Reference(String pkg, String type) {
        /** @return {@code pkg.type}, or {@code pkg.*} for a wildcard import */
        public String fqcn() {
            return type == null ? pkg + ".*" : pkg + "." + type;
        }
    }

    /** Parses every {@code .java} file under {@code root}. */
    public static List<Source> scan(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            List<Source> out = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                out.add(parse(p, Files.readString(p, StandardCharsets.UTF_8)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses one source text. */
    public static Source parse(Path path, String text) {
        Matcher pm = PACKAGE.matcher(text);
        String pkg = pm.find() ? pm.group(1) : "";
        String file = path.getFileName().toString();
        String simple = file.endsWith(".java") ? file.substring(0, file.length() - 5) : file;
        String code = COMMENTS_AND_STRINGS.matcher(text).replaceAll(m -> m.group().startsWith("\"") || m.group().startsWith("'") ? "\"\"" : " ");
        return new Source(path, pkg, simple, code);
    }

    /**
     * The {@code io.redjar} types a source refers to: qualified names and wildcard imports, plus
     * (when {@code siblings} is given) the simple names of other types of its own package.
     */
    public static Set<Reference> references(Source s, Set<String> siblings) {
        Set<Reference> out = new LinkedHashSet<>();
        Matcher w = WILDCARD.matcher(s.code());
        while (w.find()) {
            out.add(new Reference(w.group(1), null));
        }
        Matcher q = QUALIFIED.matcher(s.code());
        while (q.find()) {
            out.add(new Reference(q.group(1), q.group(2)));
        }
        for (String sibling : siblings) {
            if (!sibling.equals(s.simpleName()) && Pattern.compile("\\b" + Pattern.quote(sibling) + "\\b").matcher(s.code()).find()) {
                out.add(new Reference(s.pkg(), sibling));
            }
        }
        return out;
    }

    /**
     * The dependency graph of {@code sources} with nodes chosen by {@code node}: for each source,
     * an edge from its node to the node of each type it refers to (and, for a wildcard import,
     * to the node of the imported package's types). References to types not among the sources are
     * dropped; so are self-edges.
     *
     * @param node maps a fully qualified type name to its graph node (a package, or the type itself)
     */
    public static Map<String, Set<String>> graph(List<Source> sources, Function<String, String> node) {
        Map<String, Set<String>> siblings = new HashMap<>();
        Map<String, Source> byName = new HashMap<>();
        for (Source s : sources) {
            siblings.computeIfAbsent(s.pkg(), k -> new TreeSet<>()).add(s.simpleName());
            byName.put(s.fqcn(), s);
        }
        Map<String, Set<String>> g = new TreeMap<>();
        for (Source s : sources) {
            String from = node.apply(s.fqcn());
            Set<String> edges = g.computeIfAbsent(from, k -> new TreeSet<>());
            for (Reference r : references(s, siblings.getOrDefault(s.pkg(), Set.of()))) {
                if (r.type() == null) {
                    for (String t : siblings.getOrDefault(r.pkg(), Set.of())) {
                        addEdge(edges, from, node.apply(r.pkg() + "." + t));
                    }
                } else if (byName.containsKey(r.fqcn())) {
                    addEdge(edges, from, node.apply(r.fqcn()));
                }
            }
        }
        return g;
    }

    private static void addEdge(Set<String> edges, String from, String to) {
        if (!from.equals(to)) {
            edges.add(to);
        }
    }

    /** @return the cycles of {@code g}: its strongly connected components of two or more nodes, each sorted */
    public static List<List<String>> cycles(Map<String, Set<String>> g) {
        Tarjan t = new Tarjan(g);
        for (String v : g.keySet()) {
            if (!t.index.containsKey(v)) {
                t.connect(v);
            }
        }
        t.result.sort(Comparator.comparing(c -> c.get(0)));
        return t.result;
    }

    /** Tarjan's algorithm (recursive; package graphs are small). */
    private static final class Tarjan {
        final Map<String, Set<String>> g;
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> low = new HashMap<>();
        final Deque<String> stack = new ArrayDeque<>();
        final Set<String> onStack = new java.util.HashSet<>();
        final List<List<String>> result = new ArrayList<>();
        int next;

        Tarjan(Map<String, Set<String>> g) {
            this.g = g;
        }

        void connect(String v) {
            index.put(v, next);
            low.put(v, next);
            next++;
            stack.push(v);
            onStack.add(v);
            for (String w : g.getOrDefault(v, Set.of())) {
                if (!index.containsKey(w)) {
                    connect(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                List<String> component = new ArrayList<>();
                String w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                } while (!w.equals(v));
                if (component.size() > 1) {
                    component.sort(null);
                    result.add(component);
                }
            }
        }
    }
}
