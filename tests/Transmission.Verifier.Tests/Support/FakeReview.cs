using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Grpc;
using Transmission.Testing;

namespace Transmission.Verifier.Tests.Support;

/// <summary>
/// A Review service on a real Kestrel (TestServer, mutual TLS) that answers as the test says: to test what the CLI
/// does with answers the real Central never sends on purpose (a scan that does not match its signed digest, an
/// envelope that is not the one asked for) and with paging and streams, without a whole Central.
/// </summary>
internal sealed class FakeReview
{
    public Func<ListSubmissionsRequest, ListSubmissionsResponse> List { get; set; } = _ => new ListSubmissionsResponse();

    public Func<GetSubmissionRequest, SubmissionDetail> Detail { get; set; } = _ => throw new RpcException(new Status(StatusCode.NotFound, "no such submission"));

    public Func<GetAttachmentRequest, AttachmentContent> Attachment { get; set; } = _ => throw new RpcException(new Status(StatusCode.NotFound, "no such attachment"));

    public Func<DecideRequest, DecideResponse> DecideAnswer { get; set; } = _ => new DecideResponse();

    public IReadOnlyList<Contracts.V1.Totals> Watch { get; set; } = [];

    public List<ExportChunk> ExportChunks { get; } = [];

    public List<IMessage> Requests { get; } = [];

    public Task<ListSubmissionsResponse> ListSubmissions(ListSubmissionsRequest request, ServerCallContext context) => Answer(request, List);

    public Task<SubmissionDetail> GetSubmission(GetSubmissionRequest request, ServerCallContext context) => Answer(request, Detail);

    public Task<AttachmentContent> GetAttachment(GetAttachmentRequest request, ServerCallContext context) => Answer(request, Attachment);

    public Task<DecideResponse> Decide(DecideRequest request, ServerCallContext context) => Answer(request, DecideAnswer);

    public async Task WatchTotals(GetTotalsRequest request, IServerStreamWriter<Contracts.V1.Totals> responseStream, ServerCallContext context)
    {
        Record(request);
        foreach (var totals in Watch)
        {
            await responseStream.WriteAsync(totals, context.CancellationToken);
        }
    }

    public async Task Export(ExportRequest request, IServerStreamWriter<ExportChunk> responseStream, ServerCallContext context)
    {
        Record(request);
        foreach (var chunk in ExportChunks)
        {
            await responseStream.WriteAsync(chunk, context.CancellationToken);
        }
    }

    private Task<TResponse> Answer<TRequest, TResponse>(TRequest request, Func<TRequest, TResponse> answer)
        where TRequest : IMessage
    {
        Record(request);
        return Task.FromResult(answer(request));
    }

    private void Record(IMessage request)
    {
        lock (Requests)
        {
            Requests.Add(request);
        }
    }
}

/// <summary>A <see cref="FakeReview"/> on a test server, a verifier folder whose root is the server's CA, and a station that signs.</summary>
internal sealed class FakeReviewWorld : IAsyncDisposable
{
    private readonly TestCertificates _certificates = new("Verifier Test Root");
    private readonly X509Certificate2 _stationSigning;
    private TestServer _server = null!;

    private FakeReviewWorld()
    {
        Identity = Directory.CreateTempSubdirectory("transmission-verifier-fake-").FullName;
        File.WriteAllText(Path.Combine(Identity, "ca.cert.pem"), _certificates.Ca.ExportCertificatePem() + "\n");
        using var client = _certificates.CreateClientCertificateForUri("verifier-1", new Uri("urn:transmission:verifier:verifier-1"));
        File.WriteAllText(Path.Combine(Identity, "tls.cert.pem"), client.ExportCertificatePem() + "\n");
        Transmission.Cli.KeyFiles.WriteNew(Path.Combine(Identity, "tls.key.pem"), TestCertificates.ExportKeyPem(client), secret: true);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ca = new ElectionCa(_certificates.Ca, TimeProvider.System);
        var issued = ca.Issue(new PublicKey(key), CertificateProfile.StationSigning, CallerIdentity.Create(Role.Station, "ST-0001").Value!);
        Assert.True(issued.IsSuccess, issued.ToString());
        using var certificate = issued.Value!;
        _stationSigning = certificate.CopyWithPrivateKey(key);
    }

    public FakeReview Review { get; } = new();

    public string Identity { get; }

    public static async Task<FakeReviewWorld> StartAsync()
    {
        var world = new FakeReviewWorld();
        world._server = await TestServer.StartAsync(options =>
        {
            options.Certificates = world._certificates;
            options.ConfigureServices = services => services.AddSingleton(world.Review);
            options.ConfigureEndpoints = endpoints => endpoints.MapGrpcService<FakeReview>(ContractServices.Review);
        });
        return world;
    }

    public Task<CliResult> Run(params string[] command) =>
        VerifierCli.Run([.. command, "--central", $"https://localhost:{_server.Port}", "--identity", Identity, "--timeout", "20"]);

    /// <summary>A submission of ST-0001 signed by its signing key, with these attachments, as Central would show it.</summary>
    public SubmissionDetail SignedDetail(params byte[][] attachments)
    {
        var protocol = new ResultProtocol
        {
            ElectionId = "test-election",
            DefinitionSha256 = ByteString.CopyFrom(new byte[32]),
            Mode = ElectionMode.Test,
            StationCode = "ST-0001",
            Revision = 1,
            SignedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-2)),
            Ballots = new BallotCounts { RegisteredVoters = 812, Received = 800, Used = 500, Unused = 290, Spoiled = 10, Invalid = 20, Valid = 480 },
            Contests = { new ContestResult { ContestId = "parties", Choices = { new ChoiceVotes { ChoiceId = "P01", Votes = 300 }, new ChoiceVotes { ChoiceId = "P02", Votes = 180 } } } },
        };
        for (var i = 0; i < attachments.Length; i++)
        {
            protocol.Attachments.Add(new AttachmentDigest { Name = $"scan-{i}.png", MediaType = "image/png", Size = (ulong)attachments[i].Length, Sha256 = ByteString.CopyFrom(SHA256.HashData(attachments[i])) });
        }

        using var key = _stationSigning.GetECDsaPrivateKey()!;
        var envelope = EnvelopeMapping.ToBytes(EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, protocol.ToByteArray(), key, _stationSigning));
        var sha = ByteString.CopyFrom(SHA256.HashData(envelope));
        var received = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-1));
        var detail = new SubmissionDetail
        {
            Summary = new SubmissionSummary { EnvelopeSha256 = sha, StationCode = "ST-0001", Revision = 1, Revisions = 1, State = ReviewState.Pending, ReceivedAt = received, Municipality = "01", PollingCentre = "Shkolla" },
            Envelope = ByteString.CopyFrom(envelope),
            Protocol = protocol,
            Verification = new VerificationFacts { PayloadType = PayloadTypes.ResultProtocol, ReceivedAt = received, LogIndex = 3 },
            Flags = { new Flag { Code = "TURNOUT_OUTLIER", Message = "Turnout 61.6% is far above the municipality's 40%." } },
            Revisions = { new RevisionRecord { Revision = 1, EnvelopeSha256 = sha, ReceivedAt = received, State = ReviewState.Pending, LogIndex = 3 } },
        };
        detail.Attachments.AddRange(protocol.Attachments.Select((a, i) => new AttachmentInfo { Index = (uint)i, Name = a.Name, MediaType = a.MediaType, Size = a.Size, Sha256 = a.Sha256 }));
        return detail;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _stationSigning.Dispose();
        _certificates.Dispose();
        Directory.Delete(Identity, recursive: true);
    }
}
