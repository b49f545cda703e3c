// The `plc_session_*` calls: open a live evaluation (from nothing, a state file or state bytes),
// push events, move the clock, ask for the next deadline, save or hand out the state, free it.

import CPolicyLang
import PolicyLang

/// Opens a session continuing the state file at `state_path` (NULL: from nothing).
@_cdecl("plc_session_open")
public func plcSessionOpen(
  _ policies: UnsafePointer<OpaquePointer?>?, _ count: Int, _ statePath: UnsafePointer<CChar>?,
  _ session: UnsafeMutablePointer<OpaquePointer?>?, _ error: UnsafeMutablePointer<OpaquePointer?>?
) -> plc_status {
  session?.pointee = nil
  return reporting(into: error) { () throws(Failure) in
    let function: StaticString = "plc_session_open"
    let out = try Arguments.output(session, "session", in: function)
    let evaluators = try Arguments.evaluators(policies, count, in: function)
    let path = statePath == nil ? nil : try Arguments.string(statePath, "state_path", in: function)
    let object = try SessionObject.opening(
      evaluators,
      state: { () throws(StateFileError) in
        guard let path else { return EvaluationState() }
        return try EvaluationState.load(path: path)
      },
      name: path ?? "<state>")
    out.pointee = Handle.retained(object)
    return PLC_OK
  }
}

/// Opens a session continuing a state given as bytes.
@_cdecl("plc_session_open_state")
public func plcSessionOpenState(
  _ policies: UnsafePointer<OpaquePointer?>?, _ count: Int, _ state: UnsafePointer<CChar>?, _ length: Int,
  _ session: UnsafeMutablePointer<OpaquePointer?>?, _ error: UnsafeMutablePointer<OpaquePointer?>?
) -> plc_status {
  session?.pointee = nil
  return reporting(into: error) { () throws(Failure) in
    let function: StaticString = "plc_session_open_state"
    let out = try Arguments.output(session, "session", in: function)
    let evaluators = try Arguments.evaluators(policies, count, in: function)
    let bytes = Array(try Arguments.bytes(state, length, "state", in: function))
    let name = "<state>"
    let object = try SessionObject.opening(
      evaluators,
      state: { () throws(StateFileError) in
        bytes.isEmpty ? EvaluationState() : try EvaluationState.load(bytes: bytes, name: name)
      },
      name: name)
    out.pointee = Handle.retained(object)
    return PLC_OK
  }
}

/// The state's warnings, borrowed from the session.
@_cdecl("plc_session_warnings")
public func plcSessionWarnings(
  _ session: OpaquePointer?, _ data: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
  _ length: UnsafeMutablePointer<Int>?
) -> plc_status {
  data?.pointee = nil
  length?.pointee = 0
  guard let session, let data, let length else { return PLC_INVALID_ARGUMENT }
  let warnings = Handle.borrow(session, as: SessionObject.self).warnings
  data.pointee = warnings.borrowed
  length.pointee = warnings.count
  return PLC_OK
}

/// Takes one event line.
@_cdecl("plc_session_push")
public func plcSessionPush(
  _ session: OpaquePointer?, _ event: UnsafePointer<CChar>?, _ length: Int,
  _ verdicts: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
  _ verdictsLength: UnsafeMutablePointer<Int>?, _ error: UnsafeMutablePointer<OpaquePointer?>?
) -> plc_status {
  verdicts?.pointee = nil
  verdictsLength?.pointee = 0
  return reporting(into: error) { () throws(Failure) in
    let function: StaticString = "plc_session_push"
    let object = try Arguments.session(session, in: function)
    let line = try Arguments.bytes(event, length, "event", in: function)
    let out = try Arguments.output(verdicts, "verdicts", in: function)
    let outLength = try Arguments.output(verdictsLength, "verdicts_length", in: function)
    let pushed = object.push(line)
    handOut(object.rendered(pushed.verdicts), to: out, length: outLength)
    if let refusal = pushed.refusal { throw refusal }
    return PLC_OK
  }
}

/// Moves the clock to an RFC 3339 instant.
@_cdecl("plc_session_advance")
public func plcSessionAdvance(
  _ session: OpaquePointer?, _ instant: UnsafePointer<CChar>?,
  _ verdicts: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
  _ verdictsLength: UnsafeMutablePointer<Int>?, _ error: UnsafeMutablePointer<OpaquePointer?>?
) -> plc_status {
  verdicts?.pointee = nil
  verdictsLength?.pointee = 0
  return reporting(into: error) { () throws(Failure) in
    let function: StaticString = "plc_session_advance"
    let object = try Arguments.session(session, in: function)
    let text = try Arguments.string(instant, "instant", in: function)
    let out = try Arguments.output(verdicts, "verdicts", in: function)
    let outLength = try Arguments.output(verdictsLength, "verdicts_length", in: function)
    let time: Timestamp
    do {
      time = try Timestamp(rfc3339: text)
    } catch {
      throw .invalidArgument(function, "`instant` `\(text)`: \(error)")
    }
    handOut(object.rendered(object.advance(to: time)), to: out, length: outLength)
    return PLC_OK
  }
}

/// Moves the clock to an instant in Unix seconds and nanoseconds.
@_cdecl("plc_session_advance_unix")
public func plcSessionAdvanceUnix(
  _ session: OpaquePointer?, _ seconds: Int64, _ nanoseconds: UInt32,
  _ verdicts: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
  _ verdictsLength: UnsafeMutablePointer<Int>?, _ error: UnsafeMutablePointer<OpaquePointer?>?
) -> plc_status {
  verdicts?.pointee = nil
  verdictsLength?.pointee = 0
  return reporting(into: error) { () throws(Failure) in
    let function: StaticString = "plc_session_advance_unix"
    let object = try Arguments.session(session, in: function)
    let out = try Arguments.output(verdicts, "verdicts", in: function)
    let outLength = try Arguments.output(verdictsLength, "verdicts_length", in: function)
    let time = try Arguments.instant(seconds, nanoseconds, in: function)
    handOut(object.rendered(object.advance(to: time)), to: out, length: outLength)
    return PLC_OK
  }
}

/// The earliest open deadline, for a host's timer.
@_cdecl("plc_session_next_deadline")
public func plcSessionNextDeadline(
  _ session: OpaquePointer?, _ hasDeadline: UnsafeMutablePointer<Int32>?,
  _ seconds: UnsafeMutablePointer<Int64>?, _ nanoseconds: UnsafeMutablePointer<UInt32>?
) -> plc_status {
  hasDeadline?.pointee = 0
  seconds?.pointee = 0
  nanoseconds?.pointee = 0
  guard let session, let hasDeadline, let seconds, let nanoseconds else { return PLC_INVALID_ARGUMENT }
  guard let next = Handle.borrow(session, as: SessionObject.self).live.nextDeadline else { return PLC_OK }
  hasDeadline.pointee = 1
  seconds.pointee = next.seconds
  nanoseconds.pointee = UInt32(clamping: next.nanoseconds)
  return PLC_OK
}

/// Saves the state to a file, atomically.
@_cdecl("plc_session_save")
public func plcSessionSave(
  _ session: OpaquePointer?, _ path: UnsafePointer<CChar>?, _ error: UnsafeMutablePointer<OpaquePointer?>?
) -> plc_status {
  reporting(into: error) { () throws(Failure) in
    let function: StaticString = "plc_session_save"
    let object = try Arguments.session(session, in: function)
    let path = try Arguments.string(path, "path", in: function)
    do throws(StateFileError) {
      try object.state().save(path: path)
    } catch {
      throw Failure(status: PLC_INTERNAL_ERROR, message: "\(error)")
    }
    return PLC_OK
  }
}

/// The state as bytes, for `plc_string_free`.
@_cdecl("plc_session_state")
public func plcSessionState(
  _ session: OpaquePointer?, _ state: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
  _ length: UnsafeMutablePointer<Int>?, _ error: UnsafeMutablePointer<OpaquePointer?>?
) -> plc_status {
  state?.pointee = nil
  length?.pointee = 0
  return reporting(into: error) { () throws(Failure) in
    let function: StaticString = "plc_session_state"
    let object = try Arguments.session(session, in: function)
    let out = try Arguments.output(state, "state", in: function)
    let outLength = try Arguments.output(length, "length", in: function)
    let bytes = object.state().encoded()
    out.pointee = bytes.withUnsafeBufferPointer { OwnedText.allocateCopy($0) }
    outLength.pointee = bytes.count
    return PLC_OK
  }
}

/// Frees a session; NULL is ignored.
@_cdecl("plc_session_free")
public func plcSessionFree(_ session: OpaquePointer?) {
  guard let session else { return }
  Handle.release(session, as: SessionObject.self)
}

/// Hands verdict text to the caller (NULL and 0 when there is none), for `plc_string_free`.
private func handOut(
  _ bytes: [UInt8], to out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
  length: UnsafeMutablePointer<Int>
) {
  guard !bytes.isEmpty else { return }
  out.pointee = bytes.withUnsafeBufferPointer { OwnedText.allocateCopy($0) }
  length.pointee = bytes.count
}
