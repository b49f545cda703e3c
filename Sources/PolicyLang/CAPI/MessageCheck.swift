// `plc_policy_check_message`: the content verdicts of one event line, as JSON Lines.

import CPolicyLang
import PolicyLang

/// Judges one message; `*verdicts` is NULL when nothing was found.
@_cdecl("plc_policy_check_message")
public func plcPolicyCheckMessage(
  _ policy: OpaquePointer?, _ event: UnsafePointer<CChar>?, _ length: Int,
  _ verdicts: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
  _ verdictsLength: UnsafeMutablePointer<Int>?, _ error: UnsafeMutablePointer<OpaquePointer?>?
) -> plc_status {
  verdicts?.pointee = nil
  verdictsLength?.pointee = 0
  return reporting(into: error) { () throws(Failure) in
    let function: StaticString = "plc_policy_check_message"
    let policy = try Arguments.policy(policy, in: function)
    let line = try Arguments.bytes(event, length, "event", in: function)
    let out = try Arguments.output(verdicts, "verdicts", in: function)
    let outLength = try Arguments.output(verdictsLength, "verdicts_length", in: function)
    let message = try decodeEvent(line)
    let found = policy.evaluator.evaluate(message: message)
    guard !found.isEmpty else { return PLC_OK }
    var writer = VerdictWriter()
    for verdict in found { writer.append(verdict, zone: policy.zone) }
    out.pointee = writer.bytes.withUnsafeBufferPointer { OwnedText.allocateCopy($0) }
    outLength.pointee = writer.bytes.count
    return PLC_OK
  }
}

/// Decodes one line as `policyc eval` would (with its default line limit); a bad line is
/// `PLC_INPUT_ERROR` with the error line's WHY and reason code.
private func decodeEvent(_ line: UnsafeBufferPointer<UInt8>) throws(Failure) -> Event {
  do throws(EventLineError) {
    guard line.count <= LineReader.defaultMaxLineLength else {
      throw EventLineError.lineTooLong(byteCount: line.count, limit: LineReader.defaultMaxLineLength)
    }
    return try ThreadDecoder.current().decode(line)
  } catch {
    throw Failure(status: PLC_INPUT_ERROR, message: error.message, reason: error.reason.rawValue)
  }
}

/// Frees a text handed out by `plc_policy_check_message`; NULL is ignored.
@_cdecl("plc_string_free")
public func plcStringFree(_ string: UnsafeMutablePointer<CChar>?) {
  string?.deallocate()
}
