import AutoCoder
import AutoCoderExecution
import AutoCoderTestSupport
import Foundation
import Testing

/// C++ through g++ and Catch2's JUnit reporter, for real: pass, fail with the assertion's expansion, a compile
/// error, a crash, a timeout, and code that tries to leave its workspace or reach the network.
@Suite struct CatchTestExecutorTests {
    static let tests = """
        #include "adder.h"
        #include <catch2/catch.hpp>

        TEST_CASE("adds") { REQUIRE(add(1, 2) == 3); }

        TEST_CASE("adds negatives") { REQUIRE(add(-1, -2) == -3); }
        """

    static let header = CodeFile(path: "adder.h", content: "#pragma once\nint add(int a, int b);\n")

    func result(
        _ solution: String, tests: String = tests, timeout: Double? = nil, integrity: IntegrityMode = .strict
    ) async throws -> TestResult {
        let task = CodingTask(
            description: "add", tests: [CodeFile(path: "adder_test.cpp", content: tests)], language: "cpp",
            solutionPath: "adder.cpp", starterFiles: [Self.header], timeoutSeconds: timeout)
        return try await CatchTestExecutor(timeout: .seconds(120), integrity: integrity).test(
            [CodeFile(path: "adder.cpp", content: "#include \"adder.h\"\n" + solution)], for: task)
    }

    @Test func passAndFailHaveTheirCasesAndMessages() async throws {
        let passed = try await result("int add(int a, int b) { return a + b; }\n")
        #expect(passed.outcome == .passed && passed.numPassed == 2, "\(passed.summary) \(passed.output)")
        let failed = try await result("int add(int a, int b) { return a - b; }\n")
        #expect(failed.outcome == .failed && failed.numFailed == 2, "\(failed.summary)")
        let failure = try #require(failed.tests.first { $0.name == "adds" })
        let text = (failure.message ?? "") + (failure.details ?? "")
        #expect(text.contains("-1 == 3"), "\(text)")
    }

    /// A thousand threads at once, as Exercism's bank-account starts, under the default limits (128 processes and
    /// threads refused them).
    @Test func aThousandThreadsRunUnderTheDefaultLimits() async throws {
        let tests = """
            #include "adder.h"
            #include <catch2/catch.hpp>
            #include <atomic>
            #include <thread>
            #include <vector>

            TEST_CASE("a thousand threads add at once") {
                std::atomic<int> total{0};
                std::atomic<bool> go{false};
                std::vector<std::thread> threads;
                for (int i = 0; i < 1000; ++i) {
                    threads.emplace_back([&] { while (!go) std::this_thread::yield(); total += add(1, 0); });
                }
                go = true;
                for (auto &thread : threads) thread.join();
                REQUIRE(total == 1000);
            }
            """
        let passed = try await result("int add(int a, int b) { return a + b; }\n", tests: tests)
        #expect(passed.outcome == .passed, "\(passed.summary) \(passed.output)")
    }

    @Test func aCompileErrorIsAnErrorWithTheDiagnostic() async throws {
        let broken = try await result("int add(int a, int b) { return a + ; }\n")
        #expect(broken.outcome == .error)
        #expect(broken.message?.contains("does not compile: adder.cpp:2") == true, "\(broken.message ?? "")")
        #expect(!broken.output.contains("/tmp/autocoder-"), "the workspace's path is cut from the feedback")
    }

    @Test func aCrashAnEarlyExitAndATimeoutAreNeverAPass() async throws {
        let crashing = try await result("int add(int a, int b) { return *(volatile int *)0; }\n")
        #expect(crashing.outcome == .crashed || crashing.outcome == .failed, "\(crashing.summary)")
        let exiting = try await result(
            "#include <cstdlib>\nstatic int early = (std::exit(0), 0);\nint add(int a, int b) { return a + b; }\n",
            integrity: .off)
        #expect(exiting.outcome != .passed, "\(exiting.summary)")
        let hanging = try await result(
            "int add(int a, int b) { for (volatile int i = 0;; i = i + 1) {} }\n", timeout: 10)
        #expect(hanging.outcome == .timeout, "\(hanging.summary)")
    }

    @Test func theCodeCannotWriteOutsideItsWorkspaceNorReachTheNetwork() async throws {
        let directory = try TemporaryDirectory()
        let outside = directory.url.appendingPathComponent("escaped.txt").path
        let listener = try LoopbackListener()
        let hostile = """
            #include <arpa/inet.h>
            #include <cstdio>
            #include <sys/socket.h>
            #include <unistd.h>

            int add(int a, int b) { return a + b; }

            bool wrote() {
                FILE *file = std::fopen(\(String(reflecting: outside)), "w");
                if (file) std::fclose(file);
                return file != nullptr;
            }

            bool connected() {
                int fd = socket(AF_INET, SOCK_STREAM, 0);
                sockaddr_in address{};
                address.sin_family = AF_INET;
                address.sin_port = htons(\(listener.port));
                address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                bool ok = fd >= 0 && connect(fd, (sockaddr *)&address, sizeof address) == 0;
                if (fd >= 0) close(fd);
                return ok;
            }
            """
        let tests = """
            #include <catch2/catch.hpp>

            bool wrote();
            bool connected();

            TEST_CASE("cannot write outside") { REQUIRE_FALSE(wrote()); }

            TEST_CASE("cannot connect") { REQUIRE_FALSE(connected()); }
            """
        let result = try await result(hostile, tests: tests, integrity: .off)
        #expect(result.outcome == .passed && result.numPassed == 2, "\(result.summary) \(result.output)")
        #expect(!FileManager.default.fileExists(atPath: outside))
    }
}
