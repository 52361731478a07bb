using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Storage;
using Transmission.Central.Tests.Hosting;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.Receipts;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Grpc;
using Transmission.Testing;
using Domain = Transmission.Core.Protocol;
using Transmission.Cli;

namespace Transmission.Central.Tests.Submission;

/// <summary>A signed protocol ready to send: the envelope bytes and the attachment bytes.</summary>
internal sealed record SignedProtocol(Domain.ResultProtocol Protocol, byte[] Envelope, IReadOnlyList<byte[]> Attachments)
{
    public byte[] EnvelopeSha256 => SHA256.HashData(Envelope);

    public string Station => Protocol.StationCode;

    public uint Revision => (uint)Protocol.Revision;

    /// <summary>start, one chunk per attachment (split in <paramref name="chunkSize"/> pieces), end.</summary>
    public IEnumerable<SubmitRequest> Items(string correlationId, int chunkSize = 64 * 1024)
    {
        yield return new SubmitRequest { Start = new SubmissionStart { CorrelationId = correlationId, Envelope = ByteString.CopyFrom(Envelope) } };
        for (var i = 0; i < Attachments.Count; i++)
        {
            var bytes = Attachments[i];
            for (var offset = 0; offset < bytes.Length; offset += chunkSize)
            {
                yield return Chunk(correlationId, (uint)i, bytes.AsSpan(offset, Math.Min(chunkSize, bytes.Length - offset)));
            }
        }

        yield return End(correlationId);
    }

    public static SubmitRequest Chunk(string correlationId, uint index, ReadOnlySpan<byte> data) =>
        new() { Chunk = new AttachmentChunk { CorrelationId = correlationId, AttachmentIndex = index, Data = ByteString.CopyFrom(data) } };

    public static SubmitRequest End(string correlationId) => new() { End = new SubmissionEnd { CorrelationId = correlationId } };
}

/// <summary>What came back from one Submit call: the responses in order and, if the call failed, its status.</summary>
internal sealed record SubmitResult(IReadOnlyList<SubmitResponse> Responses, RpcException? Error)
{
    public SubmitResponse Single() => Assert.Single(Responses);
}

/// <summary>
/// Builds real envelopes as a station does (SampleProtocols, the station's signing key from its DevelopmentPki
/// folder, EnvelopeSigner) and drives Submit over the real mutual-TLS channel.
/// </summary>
internal sealed class StationSubmitter(DevelopmentPki pki, RunningCentral? central)
{
    private static int _revision = 1;

    public StationSubmitter(RunningCentral central)
        : this(central.Pki, central)
    {
    }

    public DevelopmentPki Pki => pki;

    private RunningCentral Central => central ?? throw new InvalidOperationException("No in-process Central for this submitter.");

    /// <summary>A channel to <paramref name="address"/> presenting the TLS certificate in <paramref name="folder"/>, trusting only the election root.</summary>
    public static GrpcChannel ChannelTo(Uri address, string folder)
    {
        var certificate = KeyFiles.LoadTlsCertificate(Path.Combine(folder, "tls.cert.pem"), Path.Combine(folder, "tls.key.pem"));
        var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(folder, "ca.cert.pem"));
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions { ClientCertificate = certificate, TrustedRoots = [root] });
    }

    /// <summary>A revision no earlier test used: tests share one Central, so each stored protocol takes a fresh, higher one.</summary>
    public static int NextRevision() => Interlocked.Increment(ref _revision);

    /// <summary>A valid protocol of <paramref name="station"/> (revision <paramref name="revision"/>, with a correction reason above 1).</summary>
    public Domain.ResultProtocol Protocol(string station, int revision, long seed = 7) =>
        Domain.SampleProtocols.Create(Pki.Election, station, seed) with
        {
            Revision = revision,
            CorrectionReason = revision > 1 ? "Recounted at the commission's request." : string.Empty,
        };

    public static Domain.ResultProtocol WithAttachments(Domain.ResultProtocol protocol, params byte[][] attachments) =>
        protocol with { Attachments = attachments.Select((a, i) => Domain.AttachmentDigest.Of($"scan-{i}.png", "image/png", a)).ToArray() };

    /// <summary>Signs with the station's signing key (or, with <paramref name="keyStem"/> "tls", its TLS key).</summary>
    public SignedProtocol Sign(Domain.ResultProtocol protocol, IReadOnlyList<byte[]>? attachments = null, string? signer = null, string keyStem = "signing", string payloadType = PayloadTypes.ResultProtocol)
    {
        var payload = protocol.ToContract().Value!.ToByteArray();
        var envelope = SignEnvelope(payload, signer ?? protocol.StationCode, keyStem, payloadType);
        return new SignedProtocol(protocol, EnvelopeMapping.ToBytes(envelope), attachments ?? []);
    }

    public SignedEnvelope SignEnvelope(byte[] payload, string station, string keyStem = "signing", string payloadType = PayloadTypes.ResultProtocol)
    {
        var folder = Pki.StationDir(station);
        using var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(folder, keyStem + ".cert.pem"), Path.Combine(folder, keyStem + ".key.pem"));
        using var key = certificate.GetECDsaPrivateKey()!;
        return EnvelopeSigner.Sign(payloadType, payload, key, certificate);
    }

    /// <summary>Sends <paramref name="items"/> on one Submit call from <paramref name="station"/>'s connection, then reads every response.</summary>
    public async Task<SubmitResult> SubmitAsync(string station, IEnumerable<SubmitRequest> items)
    {
        using var channel = Central.ChannelFor(Pki.StationDir(station));
        return await SubmitAsync(channel, items);
    }

    public static async Task<SubmitResult> SubmitAsync(GrpcChannel channel, IEnumerable<SubmitRequest> items)
    {
        using var call = channel.AsyncDuplexStreamingCall(TransmissionMethods.Submit);
        var reading = ReadAllAsync(call);
        try
        {
            foreach (var item in items)
            {
                await call.RequestStream.WriteAsync(item).DefaultTimeout();
            }

            await call.RequestStream.CompleteAsync().DefaultTimeout();
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidOperationException or OperationCanceledException)
        {
            // Central ended the call while we were still writing: its status is in the response stream.
        }

        return await reading.DefaultTimeout();
    }

    public async Task<SubmitResult> SubmitAsync(SignedProtocol protocol, string? connection = null, string correlationId = "p1") =>
        await SubmitAsync(connection ?? protocol.Station, protocol.Items(correlationId));

    private static async Task<SubmitResult> ReadAllAsync(AsyncDuplexStreamingCall<SubmitRequest, SubmitResponse> call)
    {
        var responses = new List<SubmitResponse>();
        try
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                responses.Add(call.ResponseStream.Current);
            }
        }
        catch (RpcException e)
        {
            return new SubmitResult(responses, e);
        }

        return new SubmitResult(responses, null);
    }

    /// <summary>Verifies a receipt as a station would: against the election root only, for exactly this envelope.</summary>
    public ReceiptCheck VerifyReceipt(SubmitResponse response, SignedProtocol protocol)
    {
        Assert.Equal(SubmitResponse.OutcomeOneofCase.Receipt, response.OutcomeCase);
        using var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Pki.Ca, "ca.cert.pem"));
        var verifier = new EnvelopeVerifier(new ElectionTrust(root), new SignerCertificateCache());
        return Receipts.VerifyFor(response.Receipt.Envelope.Span, verifier, DateTimeOffset.UtcNow, protocol.Envelope, protocol.Station, protocol.Revision);
    }

    /// <summary>Row counts of the tables that hold submissions.</summary>
    public async Task<StoredCounts> CountsAsync()
    {
        await using var db = Central.OpenDatabase();
        return new StoredCounts(
            await db.Submissions.CountAsync(),
            await db.Blobs.CountAsync(),
            await db.LogEntries.CountAsync(),
            await db.SubmissionAttachments.CountAsync(),
            await db.SecurityEvents.CountAsync());
    }

    public async Task<List<Central.Storage.SecurityEvent>> SecurityEventsAfterAsync(long id)
    {
        await using var db = Central.OpenDatabase();
        return await db.SecurityEvents.Where(e => e.Id > id).OrderBy(e => e.Id).ToListAsync();
    }
}

internal sealed record StoredCounts(int Submissions, int Blobs, int LogEntries, int Attachments, int SecurityEvents)
{
    /// <summary>Everything but security events is unchanged.</summary>
    public void AssertNothingStoredSince(StoredCounts before)
    {
        Assert.Equal(before.Submissions, Submissions);
        Assert.Equal(before.Blobs, Blobs);
        Assert.Equal(before.LogEntries, LogEntries);
        Assert.Equal(before.Attachments, Attachments);
    }
}
