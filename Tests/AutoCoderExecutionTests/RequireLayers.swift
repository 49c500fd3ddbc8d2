import Testing

@testable import AutoCoderExecution

/// Stops the calling test, as not applicable here, unless each of `layers` is active on this machine.
func requireLayers(_ layers: SandboxLayer...) async throws {
    let statuses = await SandboxCapabilities.current().layers(for: Sandbox())
    for layer in layers {
        let status = try #require(statuses.first { $0.layer == layer })
        try #require(status.active, "the \(layer.rawValue) layer is not active here: \(status.detail)")
    }
}
