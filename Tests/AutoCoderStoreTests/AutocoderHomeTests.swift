import AutoCoder
import AutoCoderStore
import Foundation
import Testing

/// `AUTOCODER_HOME`, read in one place for the store, the local model and the cache.
@Suite struct AutocoderHomeTests {
    @Test func anEmptyValueIsUnsetNeverTheCurrentDirectory() {
        let fallback = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".autocoder")
        #expect(AutocoderHome.directory(environment: ["AUTOCODER_HOME": ""]) == fallback)
        #expect(AutocoderHome.directory(environment: [:]) == fallback)
        #expect(AutocoderHome.directory(environment: ["AUTOCODER_HOME": "/srv/ac"]).path == "/srv/ac")
        #expect(RunStore.defaultPath(environment: ["AUTOCODER_HOME": ""]) == fallback.path + "/runs.sqlite")
        #expect(RunStore.defaultPath(environment: ["AUTOCODER_HOME": "/srv/ac"]) == "/srv/ac/runs.sqlite")
    }
}
