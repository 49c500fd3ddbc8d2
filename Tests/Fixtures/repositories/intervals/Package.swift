// swift-tools-version: 5.9
import PackageDescription

let package = Package(
    name: "Intervals",
    products: [.library(name: "Intervals", targets: ["Intervals"])],
    targets: [
        .target(name: "Intervals"),
        .testTarget(name: "IntervalsTests", dependencies: ["Intervals"]),
    ]
)
