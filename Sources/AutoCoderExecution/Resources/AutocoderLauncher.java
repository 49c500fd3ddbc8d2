import java.io.FileDescriptor;
import java.io.IOException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * autocoder's JUnit launcher: it seals the run (VerdictSeal in autocoder's sources). It reads the run's secret from
 * standard input to its end before any class of the tests or the code loads, runs the JUnit Platform on the classes
 * directory, and prints each test's end and the platform's own count of failures with the secret, on a standard
 * output of its own. The XML report gives the failures' messages only. After the tests, each class of the classes
 * directory that declares equals is asked whether it equals values of the JDK's own types that it cannot equal (a
 * fresh Object, a String, boxed numbers, empty collections): one that says yes would make any assertion of equality
 * pass (forged-equality), since the JDK value's own equals says no.
 * Arguments: the classes directory, the reports directory, then the libraries the tests use.
 */
public final class AutocoderLauncher {
    public static void main(String[] arguments) throws Exception {
        String secret = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        PrintStream seal = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        List<URL> urls = new ArrayList<>();
        for (int index = 0; index < arguments.length; index++) {
            if (index != 1) urls.add(Paths.get(arguments[index]).toUri().toURL());
        }
        URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), AutocoderLauncher.class.getClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
            .selectors(DiscoverySelectors.selectClasspathRoots(Set.of(Paths.get(arguments[0]))))
            .build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        TestExecutionListener sealing = new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                if (test.isTest()) line(seal, secret, "skipped", test);
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (!test.isTest()) return;
                line(seal, secret, result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? "passed" : "failed", test);
            }
        };
        Launcher launcher = LauncherFactory.create();
        PrintWriter diagnostics = new PrintWriter(System.err, true);
        launcher.execute(request, summary, sealing,
            new LegacyXmlReportGeneratingListener(Paths.get(arguments[1]), diagnostics));
        for (String forged : forgedEqualities(Paths.get(arguments[0]), loader)) {
            seal.println();
            seal.println("@autocoder-seal " + secret + " forged-equality " + hex(forged));
        }
        TestExecutionSummary counts = summary.getSummary();
        StringWriter failures = new StringWriter();
        counts.printFailuresTo(new PrintWriter(failures), 8);
        seal.print(failures);
        long failed = counts.getTotalFailureCount() + counts.getContainersFailedCount();
        seal.println();
        seal.println("@autocoder-seal " + secret + " end " + failed);
        seal.flush();
        System.exit(failed == 0 ? 0 : 1);
    }

    /** The classes under {@code classes} whose declared equals answers true for a JDK value of another type. */
    static List<String> forgedEqualities(Path classes, ClassLoader loader) {
        List<String> forged = new ArrayList<>();
        Object unsafe;
        Method allocate;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            allocate = type.getMethod("allocateInstance", Class.class);
        } catch (ReflectiveOperationException | RuntimeException error) {
            return forged;
        }
        Object[] probes = {new Object(), "", 0, -7, 1L, 0.5, Boolean.TRUE, 'a', List.of(), Set.of(), Map.of(),
            new Object[0], new java.util.Random().nextInt()};
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(path -> path.toString().endsWith(".class")).toList();
        } catch (IOException error) {
            return forged;
        }
        for (Path file : files) {
            String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
            try {
                Class<?> type = Class.forName(name, false, loader);
                if (type.isInterface() || type.isEnum() || Modifier.isAbstract(type.getModifiers())) continue;
                Method equals = type.getDeclaredMethod("equals", Object.class);
                equals.setAccessible(true);
                Object instance = allocate.invoke(unsafe, type);
                for (Object probe : probes) {
                    if (type.isInstance(probe) || sharesContract(type, probe)) continue;
                    if (Boolean.TRUE.equals(equals.invoke(instance, probe))) {
                        forged.add(name);
                        break;
                    }
                }
            } catch (Throwable ignored) {
                // No equals of its own, or one that throws on a bare instance: nothing to say.
            }
        }
        return forged;
    }

    /** Whether the JDK defines equality between {@code type}'s values and the probe's (a List equals any List). */
    static boolean sharesContract(Class<?> type, Object probe) {
        for (Class<?> contract : List.of(Collection.class, Map.class, Map.Entry.class, Iterable.class, CharSequence.class)) {
            if (contract.isInstance(probe) && contract.isAssignableFrom(type)) return true;
        }
        return false;
    }

    static void line(PrintStream seal, String secret, String status, TestIdentifier test) {
        String suite = test.getSource()
            .filter(source -> source instanceof MethodSource)
            .map(source -> ((MethodSource) source).getClassName())
            .orElse(test.getParentId().orElse(""));
        seal.println();
        seal.println("@autocoder-seal " + secret + " case " + status + " " + hex(test.getLegacyReportingName()) + " "
            + hex(suite));
    }

    static String hex(String text) {
        StringBuilder hex = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) hex.append(String.format("%02x", b & 0xff));
        return hex.toString();
    }
}
