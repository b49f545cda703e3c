// The C API's version: what a caller checks before anything else (policylang.h explains the rule).

import CPolicyLang

/// The ABI version of this library (`PLC_ABI_VERSION` of the header it was built with).
@_cdecl("plc_abi_version")
public func plcAbiVersion() -> UInt32 { PLC_ABI_VERSION }
