/// The UTF-8 byte-order mark some editors write at the start of a file. It
/// is not text: a reader that kept it would see it in the first key, the
/// first `---` fence or the first JSON value.
public enum ByteOrderMark {
    public static let utf8: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// `bytes` without a leading byte-order mark.
    public static func dropped(from bytes: some Collection<UInt8>) -> [UInt8] {
        bytes.starts(with: utf8) ? Array(bytes.dropFirst(utf8.count)) : Array(bytes)
    }
}
