import AutoCoder
import Foundation

/// Catch2's header with each decomposed comparison (`REQUIRE(a == b)`, `!=`, `<`, `<=`, `>`, `>=`) asking first
/// whether its two sides may be compared (docs/INTEGRITY.md, "Compiled languages"). Two values of different types
/// whose names outside the standard library differ (the code's `Sum` and the tests' `int`, whatever converting
/// constructor or alias lies between them) are compared by an operator the code wrote for another type than its
/// own, which may say yes to anything: the assertion fails, and the kept main (``CatchMain``) seals a
/// `forged-equality` line, so the run is `tampered`. A `std::string` and a `const char *`, an unscoped enum and an
/// `int` compared by the language's own operator, or a `std::optional` and `std::nullopt`, compare as before.
/// The header is Debian's, changed in the few lines below, and kept beside the main's object.
enum CatchTypedComparisons {
    /// The declarations that the changed header adds before `ExprLhs`.
    static let check = """
        bool autocoderSameKind(char const *lhs, char const *rhs);
        template<typename A, typename B, typename = void> struct AutocoderFreeEquality : std::false_type {};
        template<typename A, typename B>
        struct AutocoderFreeEquality<A, B, decltype((void)operator==(std::declval<A const &>(), std::declval<B const &>()))>
            : std::true_type {};
        template<typename L, typename R>
        bool autocoderSameKindOf() {
            using A = typename std::decay<L>::type;
            using B = typename std::decay<R>::type;
            if (std::is_same<A, B>::value) return true;
            constexpr bool plain = (std::is_enum<A>::value || std::is_arithmetic<A>::value)
                && (std::is_enum<B>::value || std::is_arithmetic<B>::value);
            if (plain && !AutocoderFreeEquality<A, B>::value && !AutocoderFreeEquality<B, A>::value) return true;
            return autocoderSameKind(typeid(A).name(), typeid(B).name());
        }

        """

    /// Debian's lines and what each becomes.
    static let replacements: [(String, String)] = {
        var pairs = [
            (
                "            return { compareEqual( m_lhs, rhs ), m_lhs, \"==\", rhs };",
                "            return { autocoderSameKindOf<LhsT, RhsT>() && compareEqual( m_lhs, rhs ), m_lhs, \"==\", rhs };"
            ),
            (
                "            return { m_lhs == rhs, m_lhs, \"==\", rhs };",
                "            return { autocoderSameKindOf<LhsT, bool>() && m_lhs == rhs, m_lhs, \"==\", rhs };"
            ),
            (
                "            return { compareNotEqual( m_lhs, rhs ), m_lhs, \"!=\", rhs };",
                "            return { autocoderSameKindOf<LhsT, RhsT>() && compareNotEqual( m_lhs, rhs ), m_lhs, \"!=\", rhs };"
            ),
            (
                "            return { m_lhs != rhs, m_lhs, \"!=\", rhs };",
                "            return { autocoderSameKindOf<LhsT, bool>() && m_lhs != rhs, m_lhs, \"!=\", rhs };"
            ),
        ]
        for operation in [">", "<", ">=", "<="] {
            pairs.append(
                (
                    "            return { static_cast<bool>(m_lhs \(operation) rhs), m_lhs, \"\(operation)\", rhs };",
                    "            return { autocoderSameKindOf<LhsT, RhsT>() && static_cast<bool>(m_lhs \(operation) rhs), "
                        + "m_lhs, \"\(operation)\", rhs };"
                ))
        }
        pairs.append(
            (
                "    template<typename LhsT>\n    class ExprLhs {",
                check + "    template<typename LhsT>\n    class ExprLhs {"
            ))
        return pairs
    }()

    /// `header` changed, or `nil` when one of the lines to change is not there exactly once (another Catch2).
    static func header(from header: String) -> String? {
        var changed = "#include <type_traits>\n#include <typeinfo>\n#include <utility>\n" + header
        for (old, new) in replacements {
            guard changed.components(separatedBy: old).count == 2 else { return nil }
            changed = changed.replacingOccurrences(of: old, with: new)
        }
        return changed
    }

    /// The check's definition, in the kept main beside the seal (`autocoderOut`, `autocoderSecret`, `autocoderHex`).
    static let definition = """
        namespace {
        // The names in a type's name that are not the standard library's or the language's (`Sum` in
        // `std::vector<Sum>`).
        std::set<std::string> autocoderOwnNames(std::string const &name) {
            static const std::set<std::string> words = {
                "int", "long", "short", "char", "unsigned", "signed", "bool", "float", "double", "void", "const",
                "volatile", "wchar_t", "char8_t", "char16_t", "char32_t", "decltype", "nullptr", "__int128"};
            std::set<std::string> names;
            std::string word;
            auto flush = [&] {
                if (!word.empty() && !std::isdigit(static_cast<unsigned char>(word[0])) && word.rfind("std::", 0) != 0
                    && word.rfind("__gnu_cxx::", 0) != 0 && !words.count(word))
                    names.insert(word);
                word.clear();
            };
            for (char c : name) {
                if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':') word += c; else flush();
            }
            flush();
            return names;
        }

        std::string autocoderDemangled(char const *mangled) {
            int status = 0;
            char *text = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
            std::string name = status == 0 && text ? text : mangled;
            std::free(text);
            return name;
        }
        }  // namespace

        namespace Catch {
        bool autocoderSameKind(char const *lhs, char const *rhs) {
            std::string left = autocoderDemangled(lhs), right = autocoderDemangled(rhs);
            for (auto const &none : {"std::nullopt_t", "decltype(nullptr)", "std::nullptr_t"}) {
                if (left == none || right == none) return true;
            }
            if (autocoderOwnNames(left) == autocoderOwnNames(right)) return true;
            std::string reason = "an assertion compares a " + left + " with a " + right
                + ": an operator between a type of the code's own and another type is not trusted, since it may say "
                "yes to anything (docs/INTEGRITY.md)";
            std::fprintf(stderr, "autocoder: %s\\n", reason.c_str());
            if (autocoderOut) {
                std::fprintf(autocoderOut, "\\n\(VerdictSeal.marker) %s forged-equality %s\\n", autocoderSecret.c_str(),
                             autocoderHex(reason).c_str());
                std::fflush(autocoderOut);
            }
            return false;
        }
        }  // namespace Catch

        """
}
