// One EventDecoder per thread for `plc_policy_check_message`: a decoder owns reusable buffers and
// serves one thread at a time, and making one per call would cost allocations on every message.

import PolicyLang

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The calling thread's decoder, kept in a pthread key and released when the thread exits.
enum ThreadDecoder {
  /// The key, or nil when the system has no key left (each call then makes its own decoder).
  private static let key: pthread_key_t? = {
    var key = pthread_key_t()
    let created = pthread_key_create(&key) { raw in
      #if canImport(Darwin)
        Unmanaged<EventDecoder>.fromOpaque(raw).release()
      #else
        if let raw { Unmanaged<EventDecoder>.fromOpaque(raw).release() }
      #endif
    }
    return created == 0 ? key : nil
  }()

  /// This thread's decoder, made on first use.
  static func current() -> EventDecoder {
    guard let key else { return EventDecoder() }
    if let raw = pthread_getspecific(key) {
      return Unmanaged<EventDecoder>.fromOpaque(raw).takeUnretainedValue()
    }
    let decoder = EventDecoder()
    let retained = Unmanaged.passRetained(decoder)
    if pthread_setspecific(key, retained.toOpaque()) != 0 { retained.release() }
    return decoder
  }
}
