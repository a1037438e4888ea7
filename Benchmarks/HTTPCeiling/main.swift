import Foundation
import Hummingbird
import Logging

// The ceiling for the daemon's HTTP benchmarks: a bare Hummingbird server
// whose `POST /v1/events` reads the body and answers 202 without any work.
// Usage: ticketflow-bench-http-ceiling PORT

let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 8099 : 8099
var logger = Logger(label: "ceiling")
logger.logLevel = .warning
let router = Router()
router.post("/v1/events") { request, _ -> Response in
    var request = request
    _ = try await request.collectBody(upTo: 16 << 20)
    return Response(status: .accepted, body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"stored\":0}\n")))
}
let application = Application(
    router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port)), logger: logger)
try await application.runService()
