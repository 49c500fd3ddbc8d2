import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * output of its own. The XML report gives the failures' messages only.
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
