using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Transmission.Cli.Localization;
using Transmission.Verifier.Localization;

namespace Transmission.Verifier.Submissions;

/// <summary>
/// The SHA-256 of a signed envelope as the verifier types it: 64 hex digits (either case). It names exactly the
/// bytes a decision applies to, so it is never abbreviated.
/// </summary>
internal static class EnvelopeDigest
{
    public const int HexLength = 64;

    /// <summary>Whether <paramref name="text"/> is 64 hex digits; if so, the 32 bytes.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ByteString? digest)
    {
        digest = null;
        if (text is not { Length: HexLength } || !text.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        digest = ByteString.CopyFrom(Convert.FromHexString(text));
        return true;
    }

    /// <summary>The usage error for a value that is not a digest.</summary>
    public static string NotADigest(string? text) =>
        Localized.Format(VerifierText.EnvelopeNotSha, text, HexLength);

    /// <summary>Lowercase hex; "-" for none.</summary>
    public static string Hex(ByteString digest) => digest.IsEmpty ? "-" : Convert.ToHexStringLower(digest.Span);
}
