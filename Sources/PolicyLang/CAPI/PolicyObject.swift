// `plc_policy`: loading a policy (file, text or compiled program) and what a loaded one offers.
// Failures map to the statuses `policyc eval` exits with for the same policy or program.

import CPolicyLang
import PolicyLang

/// The object behind a `plc_policy *`: immutable, so any number of threads may share it.
final class PolicyObject: Sendable {
  /// The evaluator alone, not the whole `CompiledPolicy`: reading a struct of many references
  /// out of this object would retain and release each of them on every call.
  let evaluator: Evaluator
  /// The time zone verdicts are written in.
  let zone: PolicyZone
  /// The policy's name as borrowed C text.
  let name: OwnedText

  init(_ policy: CompiledPolicy) {
    evaluator = policy.evaluator
    zone = policy.zone
    name = OwnedText(policy.name)
  }

  /// Checks a policy and compiles it: 66 when the policy file itself cannot be read (when
  /// `rootUnreadable` is that status), 65 for errors, with the diagnostics both rendered and as
  /// `policyc check --format json`'s document.
  static func checking(
    _ result: CheckResult, rootUnreadable: plc_status
  ) throws(Failure) -> PolicyObject {
    guard let checked = result.policy, !result.diagnostics.hasErrors else {
      let rootMissing = result.diagnostics.items.contains { $0.code == .fileUnreadable && $0.span == nil }
      var rendered = DiagnosticRenderer().render(result.diagnostics, in: result.sources)
      while rendered.last == "\n" { rendered.removeLast() }
      throw Failure(
        status: rootMissing ? rootUnreadable : PLC_INVALID_POLICY,
        message: rendered,
        diagnostics: DiagnosticExport.json(result.diagnostics, in: result.sources))
    }
    do {
      return PolicyObject(try CompiledPolicy(checked: checked))
    } catch {
      throw Failure(status: PLC_INTERNAL_ERROR, message: "cannot compile the policy: \(error)")
    }
  }

  /// Wraps a program file's loaded program: 66 when missing or unreadable, 65 when invalid.
  static func loading(programAt path: String) throws(Failure) -> PolicyObject {
    do {
      return PolicyObject(try CompiledPolicy(programAt: path))
    } catch {
      switch error {
      case .program(.missing), .program(.unreadable):
        throw Failure(status: PLC_MISSING_FILE, message: "\(error)")
      default:
        throw Failure(status: PLC_INVALID_POLICY, message: "\(error)")
      }
    }
  }
}

/// Stores a new policy in the caller's out parameter.
private func handOut(_ object: PolicyObject, to out: UnsafeMutablePointer<OpaquePointer?>) -> plc_status {
  out.pointee = Handle.retained(object)
  return PLC_OK
}

/// Reads, checks and compiles the policy at `path` with its imports.
@_cdecl("plc_policy_load")
public func plcPolicyLoad(
  _ path: UnsafePointer<CChar>?, _ policy: UnsafeMutablePointer<OpaquePointer?>?,
  _ error: UnsafeMutablePointer<OpaquePointer?>?
) -> plc_status {
  policy?.pointee = nil
  return reporting(into: error) { () throws(Failure) in
    let function: StaticString = "plc_policy_load"
    let out = try Arguments.output(policy, "policy", in: function)
    let path = try Arguments.string(path, "path", in: function)
    let result = PolicyChecker.check(path: path, provider: DiskSourceProvider())
    return handOut(try PolicyObject.checking(result, rootUnreadable: PLC_MISSING_FILE), to: out)
  }
}

/// Checks and compiles a policy given as UTF-8 text.
@_cdecl("plc_policy_from_source")
public func plcPolicyFromSource(
  _ text: UnsafePointer<CChar>?, _ length: Int, _ name: UnsafePointer<CChar>?,
  _ policy: UnsafeMutablePointer<OpaquePointer?>?, _ error: UnsafeMutablePointer<OpaquePointer?>?
) -> plc_status {
  policy?.pointee = nil
  return reporting(into: error) { () throws(Failure) in
    let function: StaticString = "plc_policy_from_source"
    let out = try Arguments.output(policy, "policy", in: function)
    let source = try Arguments.bytes(text, length, "text", in: function)
    let fileName = name == nil ? "policy.policy" : try Arguments.string(name, "name", in: function)
    guard !fileName.isEmpty else { throw .invalidArgument(function, "`name` is empty") }
    // Given as bytes, not a String: invalid UTF-8 gets the lexer's diagnostic, as in a file.
    let path = PolicyLoader.normalize(fileName)
    let provider = InMemorySourceProvider(bytes: [path: Array(source)])
    let result = PolicyChecker.check(path: path, provider: provider)
    // The text itself can only be "unreadable" by being too large: an invalid policy.
    return handOut(try PolicyObject.checking(result, rootUnreadable: PLC_INVALID_POLICY), to: out)
  }
}

/// Loads a program saved by `policyc build`.
@_cdecl("plc_policy_load_program")
public func plcPolicyLoadProgram(
  _ path: UnsafePointer<CChar>?, _ policy: UnsafeMutablePointer<OpaquePointer?>?,
  _ error: UnsafeMutablePointer<OpaquePointer?>?
) -> plc_status {
  policy?.pointee = nil
  return reporting(into: error) { () throws(Failure) in
    let function: StaticString = "plc_policy_load_program"
    let out = try Arguments.output(policy, "policy", in: function)
    let path = try Arguments.string(path, "path", in: function)
    return handOut(try PolicyObject.loading(programAt: path), to: out)
  }
}

/// The policy's name, borrowed from the policy.
@_cdecl("plc_policy_name")
public func plcPolicyName(
  _ policy: OpaquePointer?, _ name: UnsafeMutablePointer<UnsafePointer<CChar>?>?
) -> plc_status {
  name?.pointee = nil
  guard let policy, let name else { return PLC_INVALID_ARGUMENT }
  name.pointee = Handle.borrow(policy, as: PolicyObject.self).name.borrowed
  return PLC_OK
}

/// Frees a policy; NULL is ignored.
@_cdecl("plc_policy_free")
public func plcPolicyFree(_ policy: OpaquePointer?) {
  guard let policy else { return }
  Handle.release(policy, as: PolicyObject.self)
}
