// What a failed C call reports: its status, a message for a person, and what tools read (the
// diagnostics JSON of a policy, the reason code of an event line).

import CPolicyLang

/// A failure on its way to a `plc_error`.
struct Failure: Error {
  /// The status the call returns (one of the header's `PLC_*`).
  var status: plc_status
  /// English, for a person.
  var message: String
  /// `policyc check --format json`'s document, for a policy that failed to load.
  var diagnostics: String? = nil
  /// `--stats`'s reason code, for a rejected event.
  var reason: String? = nil

  /// Misuse of the API: `function` names the call, `problem` what was wrong with its arguments.
  static func invalidArgument(_ function: StaticString, _ problem: String) -> Failure {
    Failure(status: PLC_INVALID_ARGUMENT, message: "\(function): \(problem)")
  }
}

/// Runs a C call's body and turns its outcome into the status it returns, filling the optional
/// `plc_error **` out parameter: `NULL` on success, a new error object on failure.
func reporting(
  into out: UnsafeMutablePointer<OpaquePointer?>?, _ body: () throws(Failure) -> plc_status
) -> plc_status {
  out?.pointee = nil
  do {
    return try body()
  } catch {
    return report(error, into: out)
  }
}

/// Hands `failure` to the caller (when it asked for errors) and returns its status.
func report(_ failure: Failure, into out: UnsafeMutablePointer<OpaquePointer?>?) -> plc_status {
  out?.pointee = Handle.retained(ErrorObject(failure))
  return failure.status
}
