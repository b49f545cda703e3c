// `plc_error`: why a call failed, kept until the caller frees it.

import CPolicyLang

/// The object behind a `plc_error *`.
final class ErrorObject {
  let status: plc_status
  let message: OwnedText
  let diagnostics: OwnedText?
  let reason: OwnedText?

  init(_ failure: Failure) {
    status = failure.status
    message = OwnedText(failure.message)
    diagnostics = failure.diagnostics.map { OwnedText($0) }
    reason = failure.reason.map { OwnedText($0) }
  }
}

/// The failed call's status; `PLC_INVALID_ARGUMENT` for NULL.
@_cdecl("plc_error_status")
public func plcErrorStatus(_ error: OpaquePointer?) -> plc_status {
  guard let error else { return PLC_INVALID_ARGUMENT }
  return Handle.borrow(error, as: ErrorObject.self).status
}

/// The message, never NULL (an empty string for a NULL error).
@_cdecl("plc_error_message")
public func plcErrorMessage(_ error: OpaquePointer?) -> UnsafePointer<CChar> {
  guard let error else { return emptyText.borrowed }
  return Handle.borrow(error, as: ErrorObject.self).message.borrowed
}

/// The diagnostics JSON of a policy that failed to load, or NULL.
@_cdecl("plc_error_diagnostics")
public func plcErrorDiagnostics(_ error: OpaquePointer?) -> UnsafePointer<CChar>? {
  guard let error else { return nil }
  return Handle.borrow(error, as: ErrorObject.self).diagnostics?.borrowed
}

/// The reason code of a rejected event, or NULL.
@_cdecl("plc_error_reason")
public func plcErrorReason(_ error: OpaquePointer?) -> UnsafePointer<CChar>? {
  guard let error else { return nil }
  return Handle.borrow(error, as: ErrorObject.self).reason?.borrowed
}

/// Frees an error; NULL is ignored.
@_cdecl("plc_error_free")
public func plcErrorFree(_ error: OpaquePointer?) {
  guard let error else { return }
  Handle.release(error, as: ErrorObject.self)
}

/// The "" handed out for a NULL error: static, never freed.
private let emptyText = OwnedText("")
