// Opaque handles: a Swift object retained once when handed to C and released by its free function.

/// Conversions between objects and the opaque pointers of the header.
enum Handle {
  /// A new reference for C: the object lives until `release`.
  static func retained(_ object: AnyObject) -> OpaquePointer {
    OpaquePointer(Unmanaged.passRetained(object).toOpaque())
  }

  /// The object behind a handle, without taking ownership.
  static func borrow<Object: AnyObject>(_ handle: OpaquePointer, as _: Object.Type) -> Object {
    Unmanaged<Object>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
  }

  /// Gives back the reference `retained` handed out.
  static func release<Object: AnyObject>(_ handle: OpaquePointer, as _: Object.Type) {
    Unmanaged<Object>.fromOpaque(UnsafeRawPointer(handle)).release()
  }
}
