package io.redjar;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compiles and runs every {@code ```java} block in {@code docs/*.md}, so the documentation's
 * examples cannot rot. Each block becomes the body of a static method with the common imports.
 */
class DocsExamplesTest {
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @TestFactory
    Stream<DynamicTest> everyDocsExampleCompilesAndRuns() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            for (Path md : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                Matcher m = BLOCK.matcher(Files.readString(md, StandardCharsets.UTF_8));
                int n = 0;
                while (m.find()) {
                    String body = m.group(1);
                    int index = ++n;
                    tests.add(DynamicTest.dynamicTest(md.getFileName() + " example " + index, () -> compileAndRun(md, index, body)));
                }
            }
        }
        assertFalse(tests.isEmpty(), "docs have java examples");
        return tests.stream();
    }

    private static void compileAndRun(Path md, int index, String body) throws Exception {
        String cls = "Example" + index + "_" + md.getFileName().toString().replaceAll("[^A-Za-z0-9]", "_");
        String src = "package docs;\n"
            + "import io.redjar.*;\n"
            + "import java.time.*;\n"
            + "import java.util.*;\n"
            + "import java.util.concurrent.*;\n"
            + "import java.nio.charset.StandardCharsets;\n"
            + "public class " + cls + " {\n"
            + "  public static void run() throws Exception {\n" + body + "\n  }\n}\n";
        Path dir = Files.createTempDirectory("redjar-docs");
        Path srcFile = dir.resolve("docs").resolve(cls + ".java");
        Files.createDirectories(srcFile.getParent());
        Files.writeString(srcFile, src);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK, not a JRE");
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", dir.toString(), "-proc:none");
            boolean ok = javac.getTask(null, fm, diags, options, null, fm.getJavaFileObjects(srcFile.toFile())).call();
            if (!ok) {
                StringBuilder sb = new StringBuilder("example " + index + " of " + md + " does not compile:\n");
                for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
                    sb.append(d.getKind()).append(" line ").append(d.getLineNumber() - 8).append(": ")
                        .append(d.getMessage(null)).append('\n');
                }
                fail(sb.toString());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, DocsExamplesTest.class.getClassLoader())) {
            loader.setDefaultAssertionStatus(true); // the examples' assert lines are checked
            loader.loadClass("docs." + cls).getMethod("run").invoke(null);
        }
    }
}
