using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Submission;
using Transmission.Cli;
using Transmission.Contracts.V1;
using Transmission.Grpc;
using Transmission.Testing;

namespace Transmission.Central.Tests.Hostile;

/// <summary>
/// One real Central (Kestrel, mutual TLS, SQLite) for every <c>...HostileTests</c> class. They share it one class
/// after the other (one collection), so each case can compare the table counts before and after itself.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HostileCollection : ICollectionFixture<RunningCentral>
{
    public const string Name = "Hostile";
}

/// <summary>What every hostile case asserts around its own bad input.</summary>
internal sealed class HostileChecks(RunningCentral central)
{
    public StationSubmitter Station { get; } = new(central);

    public RunningCentral Central => central;

    /// <summary>
    /// The aftermath of a refused input: nothing stored since <paramref name="before"/> (submissions, blobs, log
    /// entries, attachments), no unexpected error logged, and Central still takes the next honest protocol of ST-0001
    /// with a receipt that verifies.
    /// </summary>
    public async Task AssertNothingStoredAndStillServingAsync(StoredCounts before)
    {
        (await Station.CountsAsync()).AssertNothingStoredSince(before);
        central.Logs.AssertNoUnexpectedErrors();
        var honest = Station.Sign(Station.Protocol("ST-0001", StationSubmitter.NextRevision()));
        var result = await Station.SubmitAsync(honest);
        Assert.Null(result.Error);
        Assert.True(Station.VerifyReceipt(result.Single(), honest).IsValid);
    }

    /// <summary>Sends one protocol's items and returns its single in-band rejection (the call itself succeeds).</summary>
    public async Task<Rejection> RefusedInBandAsync(IEnumerable<SubmitRequest> items, string connection = "ST-0001")
    {
        var result = await Station.SubmitAsync(connection, items);
        Assert.True(result.Error is null, $"the call failed: {result.Error?.Status}");
        var response = result.Single();
        Assert.Equal(SubmitResponse.OutcomeOneofCase.Rejection, response.OutcomeCase);
        return response.Rejection;
    }

    /// <summary>A plain HTTP/2 client presenting <paramref name="station"/>'s TLS certificate: what it sends is exactly what goes on the wire.</summary>
    public HttpClient RawClient(string station = "ST-0001")
    {
        var folder = central.Pki.StationDir(station);
        var certificate = KeyFiles.LoadTlsCertificate(Path.Combine(folder, "tls.cert.pem"), Path.Combine(folder, "tls.key.pem"));
        var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(folder, "ca.cert.pem"));
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true),
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { root },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
        return new HttpClient(handler) { BaseAddress = central.Address, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
    }

    /// <summary>A 5-byte gRPC prefix (flag, big-endian length) followed by <paramref name="payload"/>.</summary>
    public static byte[] Frame(byte[] payload, byte flag = 0, uint? declaredLength = null)
    {
        var bytes = new byte[5 + payload.Length];
        bytes[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), declaredLength ?? (uint)payload.Length);
        payload.CopyTo(bytes.AsSpan(5));
        return bytes;
    }

    public static byte[] Frame(IMessage message) => Frame(message.ToByteArray());

    /// <summary>A POST to <paramref name="path"/> with exactly <paramref name="body"/> and the headers given (gRPC's by default).</summary>
    public static HttpRequestMessage Request(byte[] body, string path = SubmitPath, string? contentType = "application/grpc", bool trailers = true, string? encoding = null)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, path) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact, Content = content };
        if (trailers)
        {
            request.Headers.TryAddWithoutValidation("te", "trailers");
        }

        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        return request;
    }

    public const string SubmitPath = "/transmission.v1.Transmission/Submit";

    /// <summary>Sends and reads the whole response: HTTP status, the body's messages, grpc-status and grpc-message (headers or trailers).</summary>
    public static async Task<RawReply> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        var body = await response.Content.ReadAsByteArrayAsync().DefaultTimeout();
        string? Get(string name) =>
            response.Headers.TryGetValues(name, out var h) ? string.Join(",", h)
            : response.TrailingHeaders.TryGetValues(name, out var t) ? string.Join(",", t) : null;
        var messages = new List<byte[]>();
        var isGrpc = response.Content.Headers.ContentType?.MediaType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;
        for (var offset = 0; isGrpc && body.Length - offset >= 5;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset + 1));
            messages.Add(body.AsSpan(offset + 5, length).ToArray());
            offset += 5 + length;
        }

        var status = Get("grpc-status") is { } s ? (StatusCode?)int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : null;
        var message = Get("grpc-message") is { } m ? Uri.UnescapeDataString(m) : null;
        return new RawReply((int)response.StatusCode, status, message, messages);
    }
}

/// <summary>A raw HTTP/2 response: HTTP status, gRPC status and message (null when absent), the framed messages.</summary>
internal sealed record RawReply(int HttpStatus, StatusCode? Status, string? Message, IReadOnlyList<byte[]> Messages);
