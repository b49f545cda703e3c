import Dispatch
import Synchronization

/// Runs `background` on another thread while `foreground` runs on this one, and returns both
/// results: two inputs that do not depend on each other are read at once on two cores. The
/// background result is nil only if its thread never ran it (a bug: the caller exits 70).
func concurrently<Background: Sendable, Foreground>(
  _ background: @escaping @Sendable () -> Background, _ foreground: () -> Foreground
) -> (Background?, Foreground) {
  let slot = ResultSlot<Background>()
  let group = DispatchGroup()
  DispatchQueue.global().async(group: group) { slot.value.withLock { $0 = background() } }
  let result = foreground()
  group.wait()
  return (slot.value.withLock { $0 }, result)
}

/// Where the background thread leaves its result for the waiting one.
private final class ResultSlot<Value: Sendable>: Sendable {
  let value = Mutex<Value?>(nil)
}
