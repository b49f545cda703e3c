import Foundation

@testable import PolicyLangLanguageServer

/// A policy importing a library and a word list, with Chinese and astral-plane text (`😀`,
/// `𠮷`: two UTF-16 units each) so that every range is checked in UTF-16 units.
enum Fixtures {
  static let library = """
    # 共用声明
    terms contact_apps "联系方式" = ["微信" | "薇信", "QQ号", "𠮷信"]
    terms stop_words              = file "stop.txt"
    domains allowed = ["shop.example.cn"]
    const reply_limit = 1h
    const min_length  = 12 chars
    hours peak = mon-fri 08:00-12:00, 13:00-24:00 except holidays
    dates holidays = [2026-10-01, 2026-10-02]

    """

  static let stopWords = "别再发了\n不要再联系我 | 别联系我\n"

  static let policy = """
    policy shop "示例店铺规则 😀" {
      zone      Asia/Shanghai
      normalize all
    }

    import "lib/shared.policy"

    clause S-1 "不得发布第三方联系方式" content
    clause S-2 "及时回复" timeline
    clause S-3 "处罚" sanction

    severity minor "轻微" sanction "警告" clause S-3
    severity major "严重" sanction "扣分" clause S-3
    escalate 3 minor within 30d to major clause S-3

    terms contact_apps += ["钉钉"]

    rule no_contact "不得发布联系方式" {
      clause   S-1
      severity major
      when message from seller
       and (contains "加😀微" or contains any contact_apps or contains url outside allowed)

      test "微信" {
        buyer  10:00 "在吗"
        seller 10:01 "加我微信"
        expect violation at 1 matching "微信"
      }
    }

    rule reply_fast "高峰时段及时回复" {
      clause   S-2
      severity minor
      every message from buyer
      expect human reply within 24h, within reply_limit if during peak

      test "回复过晚" {
        buyer  10:00 "在吗"
        seller 11:30 "在的"
        expect violation at 0
      }
    }

    rule stop "停止联系" {
      clause   S-1
      severity major
      when message from seller after buyer says any stop_words
      allow reply within 10m up to min_length containing any contact_apps
    }

    test "顶层测试 😀" {
      seller 10:00 "加我薇信"
      expect violation of no_contact at 0
    }

    """

  /// The workspace: `shop.policy`, `lib/shared.policy`, `lib/stop.txt`.
  static func workspace() throws -> Workspace {
    try Workspace(["shop.policy": policy, "lib/shared.policy": library, "lib/stop.txt": stopWords])
  }

  /// The repository's root (for the shipped policies).
  static let repository: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// Applies LSP `TextEdit`s to `text`, reading positions as UTF-16 offsets with Swift's own
/// UTF-16 view (an implementation independent of the server's). Edits must not overlap.
func applying(_ edits: [JSONValue], to text: String) -> String {
  let units = Array(text.utf16)
  var lineStarts = [0]
  for (i, unit) in units.enumerated() where unit == 0x0A { lineStarts.append(i + 1) }
  func offset(_ position: JSONValue?) -> Int {
    let line = position?["line"]?.intValue ?? 0
    let character = position?["character"]?.intValue ?? 0
    guard line < lineStarts.count else { return units.count }
    let lineEnd = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : units.count
    return min(lineStarts[line] + character, lineEnd)
  }
  var result = units
  let sorted = edits.sorted { offset($0["range"]?["start"]) > offset($1["range"]?["start"]) }
  for edit in sorted {
    let start = offset(edit["range"]?["start"])
    let end = offset(edit["range"]?["end"])
    result.replaceSubrange(start..<end, with: Array((edit["newText"]?.stringValue ?? "").utf16))
  }
  return String(decoding: result, as: UTF16.self)
}

/// The LSP range (UTF-16, by Swift's own UTF-16 view) of `needle`'s first occurrence.
func range(of needle: String, in text: String, occurrence: Int = 0) -> JSONValue {
  let (line, character) = position(of: needle, in: text, occurrence: occurrence)
  return [
    "start": .position(line, character), "end": .position(line, character + needle.utf16.count),
  ]
}
