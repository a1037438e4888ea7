import Core
import Hummingbird

/// Responses with a JSON body written by `JSONWriter`; errors always carry
/// `{"error": CODE, "message": TEXT, …}` so a client can act on the code
/// and a person can read the message.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ value: Value, headers: HTTPFields = [:]) -> Response {
        var bytes: [UInt8] = []
        JSONWriter.write(value, to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func error(
        _ status: HTTPResponse.Status, _ code: String, _ message: String, extra: [(String, Value)] = [], retryAfter: Int? = nil
    ) -> Response {
        var object = Value.Object([("error", .string(code)), ("message", .string(message))])
        for (key, value) in extra { object[key] = value }
        var headers: HTTPFields = [:]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return make(status, .object(object), headers: headers)
    }
}
