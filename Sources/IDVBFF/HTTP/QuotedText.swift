extension String {
    /// Text from outside made fit to quote in a message: at most `maximumLength` characters (then `…`), and
    /// anything but printable ASCII, `"` and `\` written as `\u{…}`, so control, bidirectional or invisible
    /// characters show as what they are.
    func quotedForMessage(maximumLength: Int) -> String {
        var quoted = ""
        for (index, scalar) in unicodeScalars.enumerated() {
            guard index < maximumLength else {
                quoted += "…"
                break
            }
            if scalar.isASCII, scalar.value >= 0x20, scalar.value < 0x7F, scalar != "\\", scalar != "\"" {
                quoted.unicodeScalars.append(scalar)
            } else {
                quoted += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return quoted
    }
}
