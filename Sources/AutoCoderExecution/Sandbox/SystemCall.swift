/// libc's `syscall(2)`, which Swift does not import (it is variadic), for the calls Glibc's module does not declare
/// (`landlock_create_ruleset`, `open_tree`, `mount_setattr`, `move_mount`). Every argument passes as an integer
/// (pointers with `Int(bitPattern:)`), which is how variadic integer arguments pass anyway on x86_64 and arm64.
/// One declaration for the module: a whole-module build refuses two with different types for one symbol.
@_silgen_name("syscall")
func systemCall(_ number: Int, _ a: Int, _ b: Int, _ c: Int, _ d: Int = 0, _ e: Int = 0) -> Int
