import ArgumentParser
import Subprocess
import Logging
@main struct M { static func main() {} }
