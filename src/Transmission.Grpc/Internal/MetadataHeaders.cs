using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Transmission.Grpc.Internal;

/// <summary>
/// Moves <see cref="Metadata"/> in and out of HTTP/2 header blocks
/// (PROTOCOL-HTTP2.md, "Custom-Metadata"): <c>-bin</c> values travel as base64.
/// </summary>
internal static class MetadataHeaders
{
    /// <summary>The custom metadata in <paramref name="headers"/>: reserved headers dropped, <c>-bin</c> values decoded.</summary>
    public static Metadata FromRequestHeaders(IHeaderDictionary headers, ILogger logger)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers)
        {
            if (GrpcProtocolConstants.IsReservedHeader(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (value is null)
                {
                    continue;
                }

                try
                {
                    if (name.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.OrdinalIgnoreCase))
                    {
                        // A sender may join several binary values with ',' (PROTOCOL-HTTP2.md).
                        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
                        {
                            metadata.Add(name, DecodeBase64(part));
                        }
                    }
                    else
                    {
                        metadata.Add(name, value);
                    }
                }
                catch (Exception ex) when (ex is ArgumentException or FormatException)
                {
                    // A header that cannot be metadata is not the application's business;
                    // dropping it keeps the call alive, as other implementations do.
                    GrpcServerLog.InvalidRequestHeaderIgnored(logger, name);
                }
            }
        }

        return metadata;
    }

    /// <summary>Adds every entry of <paramref name="metadata"/> with <paramref name="add"/>, binary values as unpadded base64.</summary>
    public static void Write(Metadata metadata, Action<string, string> add)
    {
        foreach (var entry in metadata)
        {
            add(entry.Key, entry.IsBinary ? EncodeBase64(entry.ValueBytes) : entry.Value);
        }
    }

    /// <summary>Base64 without padding, which the spec says senders should emit.</summary>
    public static string EncodeBase64(byte[] value) => Convert.ToBase64String(value).TrimEnd('=');

    /// <summary>Decodes base64 with or without padding; receivers must accept both.</summary>
    public static byte[] DecodeBase64(string value)
    {
        var remainder = value.Length % 4;
        if (remainder == 1)
        {
            throw new FormatException("Invalid base64 length.");
        }

        var padded = remainder == 0 ? value : value + new string('=', 4 - remainder);
        return Convert.FromBase64String(padded);
    }

    /// <summary>The peer in gRPC's form: <c>ipv4:127.0.0.1:5555</c> or <c>ipv6:[::1]:5555</c>.</summary>
    public static string FormatPeer(IPAddress? address, int port)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? $"ipv6:[{address}]:{port}"
            : $"ipv4:{address}:{port}";
    }
}
