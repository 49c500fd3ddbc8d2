// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "DigitSum",
    products: [.library(name: "DigitSum", targets: ["DigitSum"])],
    targets: [
        .target(name: "DigitSum"),
        .testTarget(name: "DigitSumTests", dependencies: ["DigitSum"]),
    ]
)
