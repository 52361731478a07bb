using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Transmission.Contracts.Mapping;

/// <summary>
/// Finds a <c>string</c> field that is not valid UTF-8 in serialized protobuf bytes. proto3 requires string fields to
/// be valid UTF-8, but Google.Protobuf for C# decodes a bad one leniently (each bad sequence becomes U+FFFD), so two
/// different signed payloads could read as the same text, and the text shown to a verifier would not be the bytes the
/// chair signed. Central refuses such a payload instead (docs/protocol.md §7.2).
/// </summary>
public static class Utf8Fields
{
    /// <summary>
    /// The path (message and field names, e.g. <c>ResultProtocol.contests.choices.choice_id</c>) of the first string
    /// field of <paramref name="descriptor"/> or its nested messages whose bytes are not valid UTF-8; <see langword="null"/>
    /// when there is none. <paramref name="bytes"/> must already parse as <paramref name="descriptor"/>'s message.
    /// Unknown fields are skipped (their type is not known).
    /// </summary>
    public static string? FirstInvalid(MessageDescriptor descriptor, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return Walk(descriptor, bytes.ToArray(), descriptor.Name);
    }

    // The schema has no recursive message types, so the depth is that of the .proto files (at most three here).
    private static string? Walk(MessageDescriptor descriptor, byte[] bytes, string path)
    {
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = descriptor.FindFieldByNumber(WireFormat.GetTagFieldNumber(tag));
            if (field is not null && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                if (field.FieldType == FieldType.String)
                {
                    if (!System.Text.Unicode.Utf8.IsValid(input.ReadBytes().Span))
                    {
                        return $"{path}.{field.Name}";
                    }

                    continue;
                }

                if (field.FieldType == FieldType.Message)
                {
                    if (Walk(field.MessageType, input.ReadBytes().ToByteArray(), $"{path}.{field.Name}") is { } found)
                    {
                        return found;
                    }

                    continue;
                }
            }

            input.SkipLastField();
        }

        return null;
    }
}
