using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Transmission.Contracts.Receipts;
using Transmission.Contracts.V1;
using Transmission.Core.Log;
using Transmission.Core.Pki;
using Transmission.Grpc;
using Transmission.Testing;

namespace Transmission.Station.Tests.Sending;

/// <summary>One protocol as the fake Central received it: correlation id, envelope bytes, attachment chunks.</summary>
internal sealed record ReceivedSubmission(string CorrelationId, byte[] Envelope, IReadOnlyList<AttachmentChunk> Chunks);

/// <summary>
/// A Transmission service that speaks Submit on a real Kestrel (TestServer, mutual TLS) and answers as the test says:
/// to test what the station does with receipts that do not verify, rejections and failed calls, which the real
/// Central never sends on purpose.
/// </summary>
internal sealed class FakeCentral
{
    public ConcurrentQueue<SubmitRequest> Requests { get; } = new();

    /// <summary>The answer to a complete submission; null sends nothing.</summary>
    public Func<ReceivedSubmission, SubmitResponse?> Answer { get; set; } = _ => null;

    /// <summary>When set, the first <see cref="FailCalls"/> calls end with this status at their first 'end' instead of answering.</summary>
    public Status? FailWith { get; set; }

    /// <summary>How many calls <see cref="FailWith"/> applies to. Defaults to all.</summary>
    public int FailCalls { get; set; } = int.MaxValue;

    public int Calls => _calls;

    private int _calls;

    public async Task Submit(IAsyncStreamReader<SubmitRequest> requestStream, IServerStreamWriter<SubmitResponse> responseStream, ServerCallContext context)
    {
        var call = Interlocked.Increment(ref _calls);
        string? id = null;
        byte[]? envelope = null;
        var chunks = new List<AttachmentChunk>();
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            var request = requestStream.Current;
            Requests.Enqueue(request);
            switch (request.ItemCase)
            {
                case SubmitRequest.ItemOneofCase.Start:
                    (id, envelope) = (request.Start.CorrelationId, request.Start.Envelope.ToByteArray());
                    chunks.Clear();
                    break;
                case SubmitRequest.ItemOneofCase.Chunk:
                    chunks.Add(request.Chunk);
                    break;
                case SubmitRequest.ItemOneofCase.End:
                    if (FailWith is { } status && call <= FailCalls)
                    {
                        throw new RpcException(status);
                    }

                    if (Answer(new ReceivedSubmission(id!, envelope!, chunks.ToArray())) is { } answer)
                    {
                        await responseStream.WriteAsync(answer, context.CancellationToken);
                    }

                    break;
            }
        }
    }

    public static Task<TestServer> StartAsync(FakeCentral fake, TestCertificates certificates) => TestServer.StartAsync(options =>
    {
        options.Certificates = certificates;
        options.ConfigureServices = services => services.AddSingleton(fake);
        options.ConfigureEndpoints = endpoints => endpoints.MapGrpcService<FakeCentral>(Transmission.Contracts.V1.ContractServices.Transmission);
    });
}

/// <summary>Central's receipt signing key: a central-signing certificate issued by the given CA.</summary>
internal sealed class ReceiptSigner : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ReceiptSigner(ElectionCa ca)
    {
        var issued = ca.Issue(
            new PublicKey(_key),
            CertificateProfile.CentralSigning,
            CallerIdentity.Create(Role.Central, "central").Value!);
        Assert.True(issued.IsSuccess, issued.ToString());
        Certificate = issued.Value;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// A receipt for the envelope as received, naming <paramref name="station"/> and <paramref name="revision"/>, with a
    /// checkpoint of a log whose entry <paramref name="logIndex"/> is the envelope (one more entry after it) and the
    /// inclusion proof; <paramref name="corruptProof"/> flips a bit of the proof's first hash.
    /// </summary>
    public SubmitResponse ReceiptFor(ReceivedSubmission submission, string station, uint revision, ulong logIndex, byte[]? envelopeSha256 = null, bool corruptProof = false)
    {
        const string electionId = "ks-station-test";
        var tree = new MerkleTree();
        for (ulong i = 0; i <= logIndex + 1; i++)
        {
            tree.Append(i == logIndex ? submission.Envelope : BitConverter.GetBytes(i));
        }

        var origin = LogEntryTypes.Origin(electionId);
        var note = CheckpointNote.Sign(new Checkpoint(origin, tree.Size, tree.Root()), origin, _key);
        var proof = tree.InclusionProof((long)logIndex, tree.Size).Select(h => (byte[])h.Clone()).ToList();
        if (corruptProof)
        {
            proof[0][0] ^= 0x01;
        }

        var body = new ReceiptBody
        {
            ElectionId = electionId,
            Mode = ElectionMode.Test,
            EnvelopeSha256 = ByteString.CopyFrom(envelopeSha256 ?? SHA256.HashData(submission.Envelope)),
            PayloadSha256 = ByteString.CopyFrom(new byte[32]),
            StationCode = station,
            Revision = revision,
            LogIndex = logIndex,
            ReceivedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            Checkpoint = ByteString.CopyFromUtf8(note),
        };
        body.InclusionProof.AddRange(proof.Select(ByteString.CopyFrom));
        return new SubmitResponse
        {
            CorrelationId = submission.CorrelationId,
            Receipt = new Receipt { Envelope = ByteString.CopyFrom(Receipts.Issue(body, _key, Certificate)) },
        };
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
