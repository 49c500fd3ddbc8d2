import AutoCoderTestSupport
import Foundation
import Testing

/// One seccomp filter for every run of every language, and for `exec`: a program that tries to make a user
/// namespace (where it would hold every capability) or an `io_uring` is refused with EPERM, whatever its language.
/// Each program prints one line per attempt; the filter's refusal reads "Operation not permitted".
@Suite struct SystemCallFilterCommandTests {
    static let programs: [(file: String, source: String)] = [
        (
            "probe.py",
            """
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            for name, args in (("unshare", (272, 0x10000000)), ("io_uring_setup", (425, 1, ctypes.create_string_buffer(120)))):
                result = libc.syscall(*args)
                print(name, "refused:" if result < 0 else "allowed", os.strerror(ctypes.get_errno()) if result < 0 else "")
            """
        ),
        (
            "probe.js",
            """
            const { spawnSync } = require("child_process");
            const run = spawnSync("unshare", ["-U", "-r", "true"]);
            console.log("unshare", run.status === 0 ? "allowed" : "refused: " + run.stderr.toString().trim());
            """
        ),
        (
            "probe.cpp",
            """
            #include <sched.h>
            #include <cerrno>
            #include <cstdio>
            #include <cstring>
            #include <unistd.h>
            #include <sys/syscall.h>
            int main() {
                int made = unshare(CLONE_NEWUSER);
                std::printf("unshare %s %s\\n", made == 0 ? "allowed" : "refused:", made == 0 ? "" : std::strerror(errno));
                long ring = syscall(425, 1, nullptr);
                std::printf("io_uring_setup %s %s\\n", ring >= 0 ? "allowed" : "refused:", ring >= 0 ? "" : std::strerror(errno));
            }
            """
        ),
        (
            "probe.rs",
            """
            extern "C" {
                fn syscall(number: i64, ...) -> i64;
                fn __errno_location() -> *mut i32;
            }
            fn attempt(name: &str, number: i64, argument: i64) {
                let result = unsafe { syscall(number, argument, 0i64) };
                let errno = unsafe { *__errno_location() };
                if result < 0 && errno == 1 {
                    println!("{} refused: Operation not permitted", name);
                } else {
                    println!("{} allowed ({} {})", name, result, errno);
                }
            }
            fn main() {
                attempt("unshare", 272, 0x10000000);
                attempt("io_uring_setup", 425, 1);
            }
            """
        ),
        (
            "probe.go",
            """
            package main

            import (
                "fmt"
                "syscall"
            )

            func main() {
                for _, call := range []struct {
                    name   string
                    number uintptr
                    arg    uintptr
                }{{"unshare", 272, 0x10000000}, {"io_uring_setup", 425, 1}} {
                    _, _, errno := syscall.RawSyscall(call.number, call.arg, 0, 0)
                    if errno != 0 {
                        fmt.Println(call.name, "refused:", errno.Error())
                    } else {
                        fmt.Println(call.name, "allowed")
                    }
                }
            }
            """
        ),
        (
            "Probe.java",
            """
            public class Probe {
                public static void main(String[] args) throws Exception {
                    Process run = new ProcessBuilder("unshare", "-U", "-r", "true").redirectErrorStream(true).start();
                    String said = new String(run.getInputStream().readAllBytes()).trim();
                    System.out.println("unshare " + (run.waitFor() == 0 ? "allowed" : "refused: " + said));
                }
            }
            """
        ),
    ]

    @Test(arguments: 0..<6)
    func everyLanguagesRunIsRefusedNamespacesAndIoUring(_ index: Int) async throws {
        let program = Self.programs[index]
        let dir = try TemporaryDirectory()
        let file = try dir.write(program.file, program.source)
        let run = try await CLI.run(["exec", file.path, "--timeout", "120"])
        #expect(run.code == 0, "\(program.file): \(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(!lines.isEmpty, "\(program.file): \(run.stdout) \(run.stderr)")
        for line in lines {
            #expect(
                line.contains("refused:") && line.lowercased().contains("operation not permitted"),
                "\(program.file): \(line)")
        }
    }
}
